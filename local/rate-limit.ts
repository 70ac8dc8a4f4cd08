/**
 * Per-client token buckets for the public routes, standing in for API Gateway's throttling (which in AWS is per
 * route, not per client; the local stack is stricter so the behaviour can be tried).
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly perMinute: number,
    private readonly burst: number,
  ) {}

  /** True when the client may make this request now. */
  take(client: string, now = Date.now()): boolean {
    const bucket = this.buckets.get(client) ?? { tokens: this.burst, at: now };
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 60_000) * this.perMinute);
    bucket.at = now;
    this.buckets.set(client, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    if (this.buckets.size > 10_000) this.buckets.clear();
    return true;
  }

  retryAfterSeconds(): number {
    return Math.ceil(60 / this.perMinute);
  }
}
