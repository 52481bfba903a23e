// Types of chromium.mjs.
import type { LaunchOptions } from 'playwright-core';

export const CHROMIUM_PATH: string;
export const CHROMIUM_LAUNCH: LaunchOptions;
export function chromiumPresent(): boolean;
export function launchSharedChromium(): Promise<{ endpoint: string; stop(): Promise<void> } | undefined>;
