import '../style.css';
import './play.css';
import { h } from '../dom.js';
import { drawRoll, pitchRange, type RollNote } from '../piano-roll.js';
import { SynthPlayer } from '../player.js';
import { fitRollCanvas } from '../roll-canvas.js';
import { createControls } from './controls.js';
import { GenerationWorker } from './generation-worker.js';
import type { PlayNote, WorkerReply } from './protocol.js';
import { generateFlags, type PlaySettings, settingsFromQuery, settingsToQuery } from './settings.js';

/** The model shipped beside the page (by `mt dashboard`, or copied into a static export). */
const DEFAULT_MODEL_URL = './default-model.safetensors';
const ROLL_HEIGHT = 280;

type GenState = 'loading' | 'ready' | 'generating' | 'done' | 'stopped' | 'error';

const testid = <T extends HTMLElement>(el: T, id: string): T => {
  el.dataset.testid = id;
  return el;
};

const controls = createControls();
const status = testid(h('div', { className: 'play-status' }), 'status');
const modelStatus = testid(h('span', {}, ['loading the default model…']), 'model-status');
const modelInput = testid(h('input', { type: 'file', accept: '.safetensors,.pt,.pth' }), 'model-file');
const modelDrop = testid(
  h('label', { className: 'play-drop' }, [
    'drop a .safetensors model or a PyTorch .pt here, or click',
    modelInput,
  ]),
  'model-drop',
);
const defaultModel = testid(h('button', { type: 'button' }, ['default model']), 'default-model');
const primerInput = testid(h('input', { type: 'file', accept: '.mid,.midi,audio/midi' }), 'primer-file');
const primerStatus = testid(h('span', {}, ['no primer: the model starts from silence']), 'primer-status');
const primerDrop = testid(
  h('label', { className: 'play-drop' }, ['drop a MIDI file here to continue it, or click', primerInput]),
  'primer-drop',
);
const clearPrimer = testid(h('button', { type: 'button', disabled: true }, ['no primer']), 'clear-primer');
const generateButton = testid(
  h('button', { type: 'button', className: 'play-primary', disabled: true }, ['Generate']),
  'generate',
);
const stopButton = testid(h('button', { type: 'button', disabled: true }, ['Stop']), 'stop');
const playButton = testid(h('button', { type: 'button', disabled: true }, ['Play']), 'play');
const download = testid(h('a', { className: 'play-link play-disabled' }, ['Download .mid']), 'download');
const share = testid(h('a', { className: 'play-link' }, ['link to this piece']), 'share');
const command = testid(h('code', { className: 'play-command' }), 'command');
const canvas = testid(h('canvas', { className: 'play-roll' }), 'roll');
const problems = testid(h('div', { className: 'play-problems' }), 'problems');

document.body.append(
  h('header', {}, [
    h('h1', {}, ['Music Transformer playground']),
    h('span', { className: 'play-note' }, ['runs in your browser']),
  ]),
  h('main', { className: 'play-main' }, [
    h('section', { className: 'play-panel' }, [
      h('h2', {}, ['Model']),
      h('div', { className: 'play-row' }, [modelStatus, defaultModel]),
      modelDrop,
      h('h2', {}, ['Primer']),
      h('div', { className: 'play-row' }, [primerStatus, clearPrimer]),
      primerDrop,
      h('h2', {}, ['Settings']),
      controls.element,
      problems,
    ]),
    h('section', { className: 'play-panel play-output' }, [
      h('div', { className: 'play-row' }, [generateButton, stopButton, playButton, download, share]),
      status,
      canvas,
      h('div', { className: 'play-row' }, [h('span', {}, ['same piece from the command line:']), command]),
    ]),
  ]),
);

let state: GenState = 'loading';
let modelReady = false;
let notes: RollNote[] = [];
let primer: { name: string; bytes: ArrayBuffer } | null = null;
let downloadUrl: string | null = null;
let startedAt = 0;
const player = new SynthPlayer();

function setState(next: GenState, text: string): void {
  state = next;
  status.dataset.state = next;
  status.textContent = text;
  generateButton.disabled = !modelReady || next === 'generating' || next === 'loading';
  stopButton.disabled = next !== 'generating';
  playButton.disabled = notes.length === 0 || next === 'generating';
}

const toRoll = (n: PlayNote): RollNote => ({
  pitch: n.pitch,
  start: n.start,
  end: n.end,
  velocity: n.velocity / 127,
});

function draw(playhead?: number): void {
  const fitted = fitRollCanvas(canvas, ROLL_HEIGHT);
  if (fitted === null) return;
  const end = notes.reduce((m, n) => Math.max(m, n.end), 0);
  const [lowPitch, highPitch] = pitchRange(notes);
  drawRoll(
    fitted.ctx,
    notes,
    { t0: 0, t1: Math.max(10, end), lowPitch, highPitch, width: fitted.width, height: ROLL_HEIGHT },
    playhead === undefined ? {} : { playhead },
  );
  canvas.dataset.notes = String(notes.length);
  canvas.dataset.seconds = end.toFixed(2);
}

function showNotes(next: readonly PlayNote[]): void {
  notes = next.map(toRoll);
  draw();
}

function updateLinks(settings: PlaySettings): void {
  const query = settingsToQuery(settings);
  const url = `${location.origin}${location.pathname}?${query}`;
  share.href = url;
  history.replaceState(null, '', `?${query}`);
  const primerFlags =
    primer === null ? [] : ['-i', primer.name, ...(settings.continuationOnly ? ['--continuation-only'] : [])];
  command.textContent = [
    'mt generate',
    `mt-play-${settings.seed}.mid`,
    ...generateFlags(settings),
    ...primerFlags,
  ].join(' ');
}

function onReply(reply: WorkerReply): void {
  switch (reply.type) {
    case 'loaded': {
      modelReady = true;
      const m = reply.model;
      modelStatus.textContent = `${m.name}: ${(m.parameters / 1e6).toFixed(2)} M parameters, vocabulary '${m.vocab}', ${m.kernels === 'simd' ? 'WebAssembly SIMD' : 'JavaScript'} kernels`;
      modelStatus.dataset.kernels = m.kernels;
      controls.setPitchLimits(m.minPitch, m.maxPitch);
      controls.setPitchRangeAvailable(
        m.pitchRange,
        m.pitchRange
          ? 'lowest and highest MIDI pitch the model may start a note on (unticked: a piano, 21 to 108)'
          : 'not available: this version of the generator has no instrument range option',
      );
      if (state === 'loading') setState('ready', 'ready');
      else setState(state, status.textContent ?? '');
      if (autoGenerate) {
        autoGenerate = false;
        start();
      }
      break;
    }
    case 'primer':
      primerStatus.textContent = `${primer?.name ?? 'primer'}: ${reply.tokens} tokens`;
      showNotes(reply.notes);
      break;
    case 'progress': {
      showNotes(reply.notes);
      const rate = reply.generated / ((performance.now() - startedAt) / 1000);
      setState('generating', `generating: ${reply.generated} tokens, ${rate.toFixed(0)} tokens/s`);
      break;
    }
    case 'done': {
      showNotes(reply.notes);
      if (downloadUrl !== null) URL.revokeObjectURL(downloadUrl);
      downloadUrl = URL.createObjectURL(
        new Blob([reply.midi as Uint8Array<ArrayBuffer>], { type: 'audio/midi' }),
      );
      download.href = downloadUrl;
      download.download = `mt-play-${controls.read().seed}.mid`;
      download.classList.remove('play-disabled');
      const rate = reply.generated / (reply.ms / 1000);
      status.dataset.tokens = String(reply.generated);
      status.dataset.tokensPerSecond = rate.toFixed(1);
      setState(
        'done',
        `done: ${reply.generated} tokens (${reply.stopReason}), ${reply.seconds.toFixed(1)} s of music, ${rate.toFixed(0)} tokens/s`,
      );
      break;
    }
    case 'error':
      setState(modelReady ? 'error' : 'error', `error: ${reply.message}`);
      break;
  }
}

const worker = new GenerationWorker(onReply);

function start(): void {
  const settings = controls.read();
  const checked = settingsFromQuery(settingsToQuery(settings));
  problems.textContent = checked.problems.join('; ');
  if (checked.problems.length > 0) return;
  player.stop();
  updateLinks(settings);
  download.classList.add('play-disabled');
  download.removeAttribute('href');
  notes = [];
  draw();
  startedAt = performance.now();
  setState('generating', 'generating…');
  worker.generate({
    settings,
    trackName: `mt-play-${settings.seed}`,
    ...(primer !== null ? { primer } : {}),
  });
}

async function loadDefaultModel(): Promise<void> {
  modelReady = false;
  setState('loading', 'loading the default model…');
  try {
    const res = await fetch(DEFAULT_MODEL_URL);
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    worker.load('default model', await res.arrayBuffer());
  } catch (e) {
    modelStatus.textContent = `the default model could not be loaded (${(e as Error).message}): drop a .safetensors model or a PyTorch .pt file`;
    setState('error', 'no model');
  }
}

async function loadModelFile(file: File): Promise<void> {
  modelReady = false;
  modelStatus.textContent = `loading ${file.name}…`;
  setState('loading', `loading ${file.name}…`);
  worker.load(file.name, await file.arrayBuffer());
}

async function setPrimer(file: File): Promise<void> {
  primer = { name: file.name, bytes: await file.arrayBuffer() };
  primerStatus.textContent = `${file.name}: will be continued`;
  clearPrimer.disabled = false;
  clearPrimer.textContent = 'remove primer';
}

/** A drop zone that also works as a file input. */
function acceptDrops(zone: HTMLElement, input: HTMLInputElement, take: (file: File) => Promise<void>): void {
  zone.addEventListener('dragover', (e) => {
    e.preventDefault();
    zone.classList.add('play-drop-over');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('play-drop-over'));
  zone.addEventListener('drop', (e) => {
    e.preventDefault();
    zone.classList.remove('play-drop-over');
    const file = e.dataTransfer?.files[0];
    if (file) void take(file);
  });
  input.addEventListener('change', () => {
    const file = input.files?.[0];
    if (file) void take(file);
    input.value = '';
  });
}

acceptDrops(modelDrop, modelInput, loadModelFile);
acceptDrops(primerDrop, primerInput, setPrimer);
defaultModel.addEventListener('click', () => void loadDefaultModel());
clearPrimer.addEventListener('click', () => {
  primer = null;
  primerStatus.textContent = 'no primer: the model starts from silence';
  clearPrimer.disabled = true;
  clearPrimer.textContent = 'no primer';
});
generateButton.addEventListener('click', start);
stopButton.addEventListener('click', () => {
  worker.stop();
  modelReady = false;
  setState('stopped', `stopped: ${notes.length} notes so far (the download needs a finished piece)`);
});

let playheadFrame = 0;
function followPlayhead(): void {
  const at = player.position();
  if (at === null) return;
  draw(at);
  playheadFrame = requestAnimationFrame(followPlayhead);
}
function showPlaying(playing: boolean): void {
  playButton.textContent = playing ? 'Stop playing' : 'Play';
  playButton.dataset.playing = String(playing);
}
playButton.addEventListener('click', () => {
  // The player counts as playing from the click on, so a Stop before audio has started cancels the start.
  if (player.playing) {
    player.stop();
    return;
  }
  showPlaying(true);
  void player
    .play(notes, () => {
      cancelAnimationFrame(playheadFrame);
      showPlaying(false);
      draw();
    })
    .then((started) => {
      if (started) playheadFrame = requestAnimationFrame(followPlayhead);
    });
});
window.addEventListener('resize', () => draw());

const fromQuery = settingsFromQuery(location.search);
controls.write(fromQuery.settings);
problems.textContent = fromQuery.problems.join('; ');
/** A shared link (one with a seed) makes its piece as soon as the model is in. */
let autoGenerate = new URLSearchParams(location.search).has('seed');
updateLinks(fromQuery.settings);
draw();
void loadDefaultModel();
