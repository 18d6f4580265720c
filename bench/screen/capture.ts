// Records what a user sees: every compositor frame of a page (the DevTools screencast, PNG),
// stamped with its presentation time, from navigation start; then the gestures (hover, click)
// timed against those frames. Decoding happens after the recording, not during it.
import type { Browser, BrowserContext, CDPSession, Page } from "playwright-core";
import { changedPixels, decodePng, flameShare, type Pixels } from "./png.js";

/** One screencast frame: ms since the page's navigation start, and the PNG. */
export interface Frame {
  readonly t: number;
  readonly png: Buffer;
}

/** A page being recorded. */
export interface Recording {
  readonly page: Page;
  readonly context: BrowserContext;
  /** Frames so far, in order (times from navigation start once `navigate` has returned). */
  readonly frames: { epochMs: number; png: Buffer }[];
  /** Epoch ms of the navigation start (performance.timeOrigin of the page). */
  timeOrigin: number;
  stop(): Promise<void>;
}

/** Viewport of every measurement (the issue's). */
export const VIEWPORT = { width: 1280, height: 800 } as const;

/**
 * Opens a fresh context, starts the screencast, navigates to `url` and waits until `ready` holds
 * in the page (polled) and then `tailMs` more. The first canvas paint of the page is recorded as
 * `window.__fbFirstCanvas` (ms since navigation start) by a one-shot hook on `fillRect`.
 *
 * @example
 * const rec = await record(browser, url, "document.title.includes('speedscope')", 1000);
 */
export async function record(browser: Browser, url: string, ready: string, tailMs: number, timeoutMs = 60_000): Promise<Recording> {
  const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1 });
  await context.addInitScript(() => {
    const proto = CanvasRenderingContext2D.prototype;
    const fill = proto.fillRect;
    proto.fillRect = function (this: CanvasRenderingContext2D, ...a: [number, number, number, number]) {
      (window as unknown as { __fbFirstCanvas?: number }).__fbFirstCanvas ??= performance.now();
      proto.fillRect = fill;
      return fill.apply(this, a);
    };
  });
  const page = await context.newPage();
  const cdp: CDPSession = await context.newCDPSession(page);
  const frames: { epochMs: number; png: Buffer }[] = [];
  cdp.on("Page.screencastFrame", (f: { data: string; sessionId: number; metadata: { timestamp?: number } }) => {
    void cdp.send("Page.screencastFrameAck", { sessionId: f.sessionId }).catch(() => {});
    frames.push({ epochMs: (f.metadata.timestamp ?? Date.now() / 1000) * 1000, png: Buffer.from(f.data, "base64") });
  });
  await cdp.send("Page.startScreencast", { format: "png", everyNthFrame: 1, maxWidth: VIEWPORT.width, maxHeight: VIEWPORT.height });
  const rec: Recording = {
    page,
    context,
    frames,
    timeOrigin: 0,
    stop: async () => {
      await cdp.send("Page.stopScreencast").catch(() => {});
      await context.close();
    },
  };
  await page.goto(url, { waitUntil: "commit" });
  await page.waitForFunction(ready, undefined, { timeout: timeoutMs, polling: 50 });
  rec.timeOrigin = await page.evaluate(() => performance.timeOrigin);
  await page.waitForTimeout(tailMs);
  return rec;
}

/** Times of a page load, ms from navigation start. */
export interface LoadTimes {
  /** First frame with at least 2% of the viewport in flame colours. */
  firstFlames: number;
  /** First frame after the page's first canvas paint (flamebook: the renderer's first draw). */
  firstCanvasFrame: number | null;
  /** The page's first canvas paint (in page time). */
  firstCanvasPaint: number | null;
  /** The load event's end, and DOMContentLoaded's. */
  load: number;
  domContentLoaded: number;
}

/**
 * Finds the load milestones of a recording (decodes frames until the first one in flame colours).
 *
 * @example
 * const t = await loadTimes(rec); t.firstFlames; // 389
 */
export async function loadTimes(rec: Recording, share = 0.02): Promise<LoadTimes> {
  const nav = await rec.page.evaluate(() => {
    const n = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming | undefined;
    return { load: n?.loadEventEnd ?? NaN, dcl: n?.domContentLoadedEventEnd ?? NaN, canvas: (window as unknown as { __fbFirstCanvas?: number }).__fbFirstCanvas ?? null };
  });
  const t = (f: { epochMs: number }) => f.epochMs - rec.timeOrigin;
  let firstFlames = NaN;
  // frames can arrive out of order: by their presentation time
  for (const f of [...rec.frames].sort((a, b) => a.epochMs - b.epochMs)) {
    if (t(f) < 0) continue;
    if (flameShare(decodePng(f.png)) >= share) {
      firstFlames = t(f);
      break;
    }
  }
  const after = nav.canvas === null ? undefined : rec.frames.find((f) => t(f) >= nav.canvas!);
  return { firstFlames, firstCanvasFrame: after ? t(after) : null, firstCanvasPaint: nav.canvas, load: nav.load, domContentLoaded: nav.dcl };
}

/** What a gesture did on screen, ms from the input. */
export interface GestureTimes {
  /** First frame that differs from the picture before the input. */
  firstChange: number;
  /** Last frame that differed from the one before it. */
  lastChange: number;
  /** Gaps between consecutive changed frames from the input to the last change (the first gap is input → first change). */
  gaps: number[];
}

/**
 * Runs `act` (a gesture) and times the frames it causes: waits `quietMs` with nothing new on
 * screen, then records the frames from just before the input until `settleMs` pass with no new
 * frame (at most `limitMs`).
 *
 * @example
 * const g = await gesture(rec, () => rec.page.mouse.move(300, 600));
 */
export async function gesture(rec: Recording, act: () => Promise<unknown>, settleMs = 600, limitMs = 15_000): Promise<GestureTimes> {
  await quiet(rec, 300);
  const from = rec.frames.length;
  const before = rec.frames[from - 1];
  const t0 = performance.timeOrigin + performance.now();
  await act();
  const start = Date.now();
  let seen = rec.frames.length;
  let lastNew = Date.now();
  while (Date.now() - lastNew < settleMs && Date.now() - start < limitMs) {
    await new Promise((r) => setTimeout(r, 25));
    if (rec.frames.length !== seen) {
      seen = rec.frames.length;
      lastNew = Date.now();
    }
  }
  let prev: Pixels | null = before ? decodePng(before.png) : null;
  const changes: number[] = [];
  for (const f of rec.frames.slice(from).sort((a, b) => a.epochMs - b.epochMs)) {
    const px = decodePng(f.png);
    if (!prev || changedPixels(prev, px) > 0) changes.push(f.epochMs - t0);
    prev = px;
  }
  if (changes.length === 0) return { firstChange: NaN, lastChange: NaN, gaps: [] };
  const gaps = changes.map((c, i) => c - (i === 0 ? 0 : changes[i - 1]!));
  return { firstChange: changes[0]!, lastChange: changes.at(-1)!, gaps };
}

/** Waits until no screencast frame arrived for `ms`. */
export async function quiet(rec: Recording, ms: number, limitMs = 10_000): Promise<void> {
  const start = Date.now();
  let n = rec.frames.length;
  let since = Date.now();
  while (Date.now() - since < ms && Date.now() - start < limitMs) {
    await new Promise((r) => setTimeout(r, 20));
    if (rec.frames.length !== n) {
      n = rec.frames.length;
      since = Date.now();
    }
  }
}
