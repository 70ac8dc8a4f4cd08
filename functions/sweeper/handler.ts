// PLACEHOLDER until this worker is built: accepts its input and does nothing.
export const handler = async (_event: unknown): Promise<{ batchItemFailures: { itemIdentifier: string }[] }> => ({
  batchItemFailures: [],
});
