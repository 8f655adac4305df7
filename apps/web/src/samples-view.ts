import { h } from './dom.js';
import { loadMidiNotes } from './midi-file.js';
import { drawRoll, pitchRange, type RollNote } from './piano-roll.js';
import { PitchAxis } from './pitch-axis.js';
import { SynthPlayer } from './player.js';
import { fitRollCanvas } from './roll-canvas.js';

const ROLL_HEIGHT = 240;

/** URL of a run file on the dashboard server (the page's token cookie authorizes it). */
export function fileUrl(run: string, path: string, download = false): string {
  const encoded = path.split('/').map(encodeURIComponent).join('/');
  return `files/${encodeURIComponent(run)}/${encoded}${download ? '?download=1' : ''}`;
}

/**
 * Generated samples of the selected run: a list with Open / Play / Download, and a canvas piano roll
 * of the opened sample with a playhead while it plays.
 */
export class SamplesView {
  readonly el: HTMLElement;
  private readonly list: HTMLElement;
  private readonly rollTitle: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly playButton: HTMLButtonElement;
  private readonly axis = new PitchAxis('sample-roll-axis');
  private readonly player = new SynthPlayer();
  private run: string | null = null;
  private files: string[] = [];
  /** List items by sample path, for the current run. */
  private readonly items = new Map<string, HTMLLIElement>();
  private opened: { path: string; notes: RollNote[]; duration: number } | null = null;

  constructor() {
    this.list = h('ul', { className: 'samples' });
    this.rollTitle = h('p', { className: 'roll-title' }, ['Open a sample to see its piano roll.']);
    this.canvas = h('canvas', { className: 'roll' });
    this.canvas.dataset.testid = 'sample-roll';
    this.playButton = h('button', { type: 'button', disabled: true }, ['▶ Play']);
    this.playButton.addEventListener('click', () => void this.togglePlay());
    this.el = h('section', { className: 'card', id: 'samples' }, [
      h('h3', {}, ['Samples']),
      this.list,
      h('div', { className: 'roll-bar' }, [this.rollTitle, this.playButton]),
      h('div', { className: 'roll-wrap' }, [this.axis.el, this.canvas]),
    ]);
  }

  /**
   * Called on every runs update (one per record of a live run): does nothing unless the run or its
   * sample files changed, and then keeps the items (and their buttons) of files that are still there.
   */
  update(run: string | null, files: readonly string[]): void {
    if (run === this.run && sameList(files, this.files)) return;
    if (run !== this.run) {
      this.close();
      this.items.clear();
    }
    this.run = run;
    this.files = [...files];
    if (!run || files.length === 0) {
      this.items.clear();
      this.list.replaceChildren(h('li', { className: 'empty' }, ['No samples in this run (samples/*.mid).']));
      return;
    }
    const wanted = new Set(files);
    for (const path of this.items.keys()) if (!wanted.has(path)) this.items.delete(path);
    const items = files.map((path) => {
      let item = this.items.get(path);
      if (!item) {
        item = this.sampleItem(run, path);
        this.items.set(path, item);
      }
      return item;
    });
    if (!sameList(items, [...this.list.children])) this.list.replaceChildren(...items);
  }

  private sampleItem(run: string, path: string): HTMLLIElement {
    const open = h('button', { type: 'button' }, ['Piano roll']);
    open.dataset.testid = `open-sample-${path}`;
    open.addEventListener('click', () => void this.open(path));
    const download = h('a', { href: fileUrl(run, path, true), download: path.split('/').at(-1) ?? path }, [
      'Download .mid',
    ]);
    download.dataset.testid = `download-sample-${path}`;
    return h('li', {}, [h('code', {}, [path]), open, download]);
  }

  private async open(path: string): Promise<void> {
    if (!this.run) return;
    this.player.stop();
    this.rollTitle.textContent = `Loading ${path}…`;
    try {
      const { notes, duration } = await loadMidiNotes(fileUrl(this.run, path));
      this.opened = { path, notes, duration };
      this.rollTitle.textContent = `${path}: ${notes.length} notes, ${duration.toFixed(1)} s`;
      this.canvas.dataset.notes = String(notes.length);
      this.canvas.dataset.sample = path;
      this.playButton.disabled = notes.length === 0;
      this.draw();
    } catch (e) {
      this.opened = null;
      this.rollTitle.textContent = (e as Error).message;
      this.playButton.disabled = true;
    }
  }

  private async togglePlay(): Promise<void> {
    // While audio is still starting, playing is already true: a quick second click cancels the start.
    if (this.player.playing) {
      this.player.stop();
      return;
    }
    if (!this.opened) return;
    this.playButton.textContent = '■ Stop';
    const started = await this.player.play(this.opened.notes, () => {
      this.playButton.textContent = '▶ Play';
      this.draw();
    });
    if (!started) return;
    const tick = () => {
      if (!this.player.playing) return;
      this.draw();
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  }

  private draw(): void {
    if (!this.opened) return;
    const fitted = fitRollCanvas(this.canvas, ROLL_HEIGHT);
    if (!fitted) return;
    const { ctx, width } = fitted;
    const [lowPitch, highPitch] = pitchRange(this.opened.notes);
    this.axis.update(lowPitch, highPitch, ROLL_HEIGHT);
    const position = this.player.position();
    drawRoll(
      ctx,
      this.opened.notes,
      { t0: 0, t1: Math.max(1, this.opened.duration), lowPitch, highPitch, width, height: ROLL_HEIGHT },
      position === null ? {} : { playhead: position },
    );
  }

  private close(): void {
    this.player.stop();
    this.opened = null;
    this.playButton.disabled = true;
    this.rollTitle.textContent = 'Open a sample to see its piano roll.';
    this.canvas.getContext('2d')?.clearRect(0, 0, this.canvas.width, this.canvas.height);
    this.axis.clear();
    delete this.canvas.dataset.notes;
  }
}

function sameList<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
