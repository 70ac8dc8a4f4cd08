import htm from 'htm';
import { h } from 'preact';

/** Preact through htm: tagged templates instead of JSX, so the console needs no compile step of its own. */
export const html = htm.bind(h);
