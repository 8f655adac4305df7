import { EventEmitter } from 'node:events';
import { CallResponse } from './call-response.js';
import { type Clock, createPreciseWaker, monotonicClock, type Waker } from './clock.js';
import { ClockFollower } from './clock-follower.js';
import {
  type ControlName,
  type Controls,
  controlFromCc,
  defaultControls,
  validateControls,
} from './controls.js';
import { BridgeError } from './errors.js';
import { BATCH_TOKENS } from './generator.js';
import { type MidiMessage, noteOff, noteOn } from './messages.js';
import { type LiveBridgeOptions, type ResolvedBridgeOptions, resolveBridgeOptions } from './options.js';
import { OutputSink } from './output-sink.js';
import { Scheduler } from './scheduler.js';
import { type BridgeEvents, type BridgeState, type NoteStatus, RateMeter } from './status.js';
import { Timeline } from './timeline.js';
import { type NoteEdge, TokenDecoder } from './token-decoder.js';

/** Tokens kept requested from the generator while the buffer is below the lookahead. */
const IN_FLIGHT_TOKENS = BATCH_TOKENS * 2;
/** Playback of fresh music is placed this far after "now", so its first notes are not already late. */
const START_MARGIN_MS = 5;

/**
 * While closed, decoded notes are held back instead of scheduled: at the start, after an underrun and
 * before a response, until `thresholdMs` of music from `fromMusicMs` on is generated. Opening places
 * that music at "now", which is how the bridge recovers by waiting instead of bursting late notes.
 */
interface Gate {
  fromMusicMs: number;
  thresholdMs: number;
  reason: 'start' | 'underrun' | 'response';
  sinceMs: number;
}

/**
 * Streams a token generator to a MIDI port in real time. The main thread only decodes tokens, keeps
 * the lookahead buffer filled and sends each message at its absolute time; the model runs wherever
 * the injected generator runs (a worker thread in production).
 *
 * Music time (ms at the model's own tempo) maps to beats at the grid tempo (`bpm`), plus a shift that
 * grows when playback waits (underrun, responses); the timeline maps beats to clock time, following
 * `setTempo` or an incoming MIDI clock.
 */
export class LiveBridge extends EventEmitter<BridgeEvents> {
  private readonly o: ResolvedBridgeOptions;
  private readonly clock: Clock;
  private readonly timeline: Timeline;
  private readonly scheduler: Scheduler;
  private readonly sink: OutputSink;
  private readonly decoder: TokenDecoder;
  private readonly callResponse: CallResponse | null;
  private readonly follower: ClockFollower | null;
  private readonly rate = new RateMeter();
  private readonly msPerBeatAtGrid: number;
  private controlsValue: Controls;
  private stateValue: BridgeState = 'starting';
  private epoch = 0;
  private inFlight = 0;
  private shiftBeats = 0;
  private gate: Gate | null = null;
  private held: NoteEdge[] = [];
  /** Music ms where the current response ends (call-response), or null for no end. */
  private phraseEndMs: number | null = null;
  private phraseDone = false;
  /** True from beginPhrase until the phrase is done or interrupted: only then are tokens requested. */
  private phraseActive = false;
  /**
   * Leading silence of a call-response answer still to drop, music ms (null once its first note sounded,
   * or outside answers): the bar of silence already separates the answer from the call.
   */
  private leadSilenceLeftMs: number | null = null;
  private cancelTicks: (() => void) | null = null;
  private readonly waker: Waker;
  private started = false;
  private underruns = 0;
  private lastRateMs = 0;

  constructor(options: LiveBridgeOptions) {
    super();
    this.o = resolveBridgeOptions(options);
    this.clock = options.clock ?? monotonicClock;
    this.waker = options.waker ?? createPreciseWaker(this.clock);
    this.msPerBeatAtGrid = 60_000 / this.o.bpm;
    this.timeline = new Timeline(this.o.bpm);
    this.sink = new OutputSink(this.o.output, this.o.recorder, this.clock);
    this.controlsValue = { ...defaultControls, ...this.o.controls };
    this.scheduler = new Scheduler({
      clock: this.clock,
      waker: this.waker,
      timeline: this.timeline,
      offsetMs: this.o.offsetMs,
      deliver: (message, due) => this.deliver(message, due),
    });
    this.decoder = new TokenDecoder(this.o.codec, {
      maxNoteMs: this.o.maxNoteMs,
      density: this.controlsValue.density,
      rng: this.o.rng,
      defaultVelocity: 64,
    });
    const mode = this.o.mode;
    this.callResponse =
      mode === 'generate'
        ? null
        : new CallResponse(
            this.o.codec,
            this.waker,
            {
              mode,
              silenceMs: () => this.o.silenceBeats * this.timeline.msPerBeat,
              minAnswerMs: this.msPerBeatAtGrid,
            },
            {
              interrupt: () => this.interruptAnswer(),
              answer: (primer, lengthMs) => {
                if (this.stateValue === 'stopped') return;
                this.setState('responding');
                this.beginPhrase(primer, lengthMs, 'response');
              },
            },
          );
    this.follower = this.o.followClock
      ? new ClockFollower(this.timeline, {
          onStart: () => this.setState(this.runningState()),
          onStop: () => this.onTransportStop(),
        })
      : null;
  }

  get state(): BridgeState {
    return this.stateValue;
  }

  get controls(): Controls {
    return { ...this.controlsValue };
  }

  /** Current tempo of the transport (the grid tempo, or the followed clock's). */
  get bpm(): number {
    return this.timeline.bpm;
  }

  /** Counters for the CLI's summary. */
  get stats(): { sentNotes: number; underruns: number; sounding: number } {
    return { sentNotes: this.sink.sentNotes, underruns: this.underruns, sounding: this.sink.soundingCount };
  }

  /** Seconds of music generated ahead of the playback position. */
  bufferSeconds(now: number = this.clock.now()): number {
    const from = this.gate ? this.gate.fromMusicMs : this.musicAt(now);
    return Math.max(0, this.decoder.musicMs - from) / 1000;
  }

  /**
   * Waits for the generator, then starts: generate mode begins filling the buffer and plays once
   * `startBufferMs` is ready; call-response/continue listen for the player first.
   */
  async start(): Promise<void> {
    if (this.started) throw new BridgeError('BAD_STATE', 'start() was already called');
    this.started = true;
    this.o.generator.listen({
      tokens: (ids, epoch, busyMs) => this.onTokens(ids, epoch, busyMs),
      primed: (tokens, epoch) => {
        if (epoch === this.epoch) this.emit('primer', { tokens });
      },
      error: (error) => this.fail(error),
    });
    this.o.input?.onMessage((message, ms) => this.onInput(message, ms));
    this.o.generator.setSampling(this.samplingOf(this.controlsValue));
    // A free-running transport starts now; a followed one waits for the DAW's Start.
    if (!this.follower) this.timeline.start(this.clock.now(), 0);
    this.scheduleTick(this.clock.now());
    try {
      await this.o.generator.ready;
    } catch (error) {
      this.fail(error instanceof Error ? error : new Error(String(error)));
      throw error;
    }
    if (this.stateValue === 'stopped') return;
    if (this.o.mode === 'generate') {
      this.beginPhrase(
        this.o.primer ?? (this.o.codec.start === null ? [] : [this.o.codec.start]),
        null,
        'start',
      );
      this.setState(this.follower && !this.follower.isRunning ? 'waiting' : 'starting');
    } else {
      this.setState('listening');
    }
  }

  /** Stops for good: silences every sounding note (note-offs, then CC 123) and stops the generator. */
  async stop(): Promise<void> {
    if (this.stateValue === 'stopped') return;
    this.shutdown();
    await this.o.generator.close();
  }

  /**
   * Stops because of an outside failure (e.g. a port that disappeared): silences what it can, stops the
   * generator and emits `error`.
   */
  abort(error: Error): void {
    this.fail(error);
  }

  /** Holds playback and silences sounding notes; generation keeps the buffer full. */
  pause(): void {
    if (this.follower) {
      throw new BridgeError(
        'BAD_STATE',
        'pause() is not available while following MIDI clock: stop the DAW transport',
      );
    }
    if (this.stateValue === 'paused' || this.stateValue === 'stopped') return;
    this.timeline.stop(this.clock.now());
    this.silence();
    this.setState('paused');
  }

  /** Continues after pause() from where playback stopped. */
  resume(): void {
    if (this.stateValue !== 'paused') return;
    const now = this.clock.now();
    this.timeline.start(now + this.startMarginMs(), this.timeline.beatAt(now));
    this.setState(this.runningState());
  }

  /** Changes temperature, top-k, top-p and density while running. Throws BAD_OPTION on bad values. */
  setControls(update: Partial<Controls>): Controls {
    const checked = validateControls(update);
    this.controlsValue = { ...this.controlsValue, ...checked };
    this.decoder.density = this.controlsValue.density;
    this.o.generator.setSampling(this.samplingOf(this.controlsValue));
    this.emit('controls', this.controls);
    return this.controls;
  }

  /** Changes the transport tempo (not while following MIDI clock). */
  setTempo(bpm: number): void {
    if (this.follower)
      throw new BridgeError('BAD_STATE', 'setTempo() is not available while following MIDI clock');
    if (!(bpm >= 20 && bpm <= 400))
      throw new BridgeError('BAD_OPTION', `bpm must be in [20, 400], got ${bpm}`);
    this.timeline.setTempo(bpm, this.clock.now());
    this.emit('tempo', { bpm });
  }

  /** Changes the latency offset (ms, negative = earlier) for messages not yet sent. */
  setOffset(offsetMs: number): void {
    if (!(offsetMs >= -1000 && offsetMs <= 1000)) {
      throw new BridgeError('BAD_OPTION', `offsetMs must be in [-1000, 1000], got ${offsetMs}`);
    }
    this.scheduler.offsetMs = offsetMs;
  }

  private samplingOf(c: Controls) {
    return { temperature: c.temperature, topK: c.topK, topP: c.topP };
  }

  private musicAt(ms: number): number {
    return (this.timeline.beatAt(ms) - this.shiftBeats) * this.msPerBeatAtGrid;
  }

  private beatOf(musicMs: number): number {
    return musicMs / this.msPerBeatAtGrid + this.shiftBeats;
  }

  private startMarginMs(): number {
    return Math.max(0, -this.scheduler.offsetMs) + START_MARGIN_MS;
  }

  /** The state to show once the transport runs (after resume() or the DAW's Start). */
  private runningState(): BridgeState {
    if (this.gate) return this.gate.reason === 'underrun' ? 'underrun' : 'starting';
    if (this.callResponse) return this.phraseActive && !this.phraseDone ? 'responding' : 'listening';
    return 'playing';
  }

  private setState(state: BridgeState): void {
    if (state === this.stateValue) return;
    this.stateValue = state;
    this.emit('state', state);
  }

  /** Starts a new stretch of music conditioned on `primer`, held behind a gate until buffered. */
  private beginPhrase(primer: readonly number[], lengthMs: number | null, reason: Gate['reason']): void {
    this.epoch = this.o.generator.reset(primer);
    this.inFlight = 0;
    this.decoder.restart(this.decoder.musicMs);
    this.held = [];
    this.phraseDone = false;
    this.phraseActive = true;
    this.phraseEndMs = lengthMs === null ? null : this.decoder.musicMs + lengthMs;
    this.leadSilenceLeftMs = reason === 'response' && lengthMs !== null ? lengthMs : null;
    this.gate = {
      fromMusicMs: this.decoder.musicMs,
      thresholdMs: reason === 'underrun' ? this.o.resumeBufferMs : this.o.startBufferMs,
      reason,
      sinceMs: this.clock.now(),
    };
    this.scheduler.setHorizon(null);
    this.refill();
  }

  private onTokens(ids: number[], epoch: number, busyMs: number): void {
    if (epoch !== this.epoch || !this.phraseActive || this.stateValue === 'stopped') return;
    this.inFlight = Math.max(0, this.inFlight - ids.length);
    const before = this.decoder.musicMs;
    const edges: NoteEdge[] = [];
    for (const id of ids) {
      if (this.phraseDone) break;
      if (this.dropsLeadingSilence(id)) continue;
      const decoded = this.decoder.push(id);
      if (this.leadSilenceLeftMs !== null && decoded.some((e) => e.on)) this.leadSilenceLeftMs = null;
      edges.push(...decoded);
      if (this.phraseEndMs !== null && this.decoder.musicMs >= this.phraseEndMs) {
        this.decoder.endAll(edges);
        this.phraseDone = true;
      } else if (this.decoder.isEnded) {
        // Whatever follows <end> in this batch belongs to the finished piece: drop it.
        this.onEndToken();
        break;
      }
    }
    this.rate.add(ids.length, this.decoder.musicMs - before, busyMs);
    const now = this.clock.now();
    if (this.gate) {
      this.held.push(...edges);
      this.openGateIfReady(now);
    } else {
      this.schedule(edges);
    }
    this.refill();
  }

  /**
   * True when `id` is a time shift before the first note of a call-response answer, which is dropped: the
   * answer lasts as long as the call from its first note, so a model that opens with more silence than that
   * still answers (the answer would otherwise end before its first note, silent). Drops at most the answer's
   * length of silence, so a model that keeps silent still ends its answer.
   */
  private dropsLeadingSilence(id: number): boolean {
    if (this.leadSilenceLeftMs === null) return false;
    const meaning = this.o.codec.decode(id);
    if (meaning.kind !== 'time_shift') return false;
    this.leadSilenceLeftMs -= meaning.ms;
    if (this.leadSilenceLeftMs <= 0) this.leadSilenceLeftMs = null;
    return true;
  }

  /** The model ended its piece: generate mode and continue mode start a fresh one seamlessly. */
  private onEndToken(): void {
    if (this.o.mode === 'call-response') {
      this.phraseDone = true;
      return;
    }
    const start = this.o.codec.start === null ? [] : [this.o.codec.start];
    this.epoch = this.o.generator.reset(start);
    this.inFlight = 0;
    this.decoder.restart(this.decoder.musicMs);
  }

  private openGateIfReady(now: number): void {
    const gate = this.gate;
    if (!gate) return;
    const ready = this.decoder.musicMs - gate.fromMusicMs >= gate.thresholdMs || this.phraseDone;
    if (!ready) return;
    // Place the gated music at "now" (plus a margin) on the current transport position.
    const marginBeats = this.startMarginMs() / this.timeline.msPerBeat;
    this.shiftBeats = this.timeline.beatAt(now) + marginBeats - gate.fromMusicMs / this.msPerBeatAtGrid;
    this.gate = null;
    const held = this.held;
    this.held = [];
    if (gate.reason === 'underrun') {
      this.underruns++;
      this.emit('underrun', { lateMs: now - gate.sinceMs + this.startMarginMs(), time: gate.sinceMs });
    }
    if (this.stateValue !== 'paused' && this.stateValue !== 'waiting') {
      this.setState(this.phraseEndMs === null ? 'playing' : 'responding');
    }
    this.schedule(held);
  }

  private schedule(edges: readonly NoteEdge[]): void {
    const ch = this.o.channel;
    this.scheduler.enqueue(
      edges.map((e) => ({
        beat: this.beatOf(e.musicMs),
        message: e.on ? noteOn(ch, e.pitch, e.velocity) : noteOff(ch, e.pitch),
      })),
    );
    this.scheduler.setHorizon(this.beatOf(this.decoder.musicMs), () => this.onHorizon());
  }

  /** Playback reached the end of the generated music. */
  private onHorizon(): void {
    if (this.stateValue === 'stopped') return;
    if (this.phraseDone) {
      // The response is over; wait for the player again.
      this.phraseActive = false;
      if (this.callResponse) this.setState('listening');
      return;
    }
    const now = this.clock.now();
    this.gate = {
      fromMusicMs: this.decoder.musicMs,
      thresholdMs: this.o.resumeBufferMs,
      reason: 'underrun',
      sinceMs: now,
    };
    this.setState('underrun');
    this.openGateIfReady(now);
  }

  /** Keeps tokens requested while less than the lookahead is buffered. */
  private refill(): void {
    if (this.stateValue === 'stopped' || !this.phraseActive || this.phraseDone) return;
    if (this.bufferSeconds() * 1000 >= this.o.lookaheadMs) return;
    if (this.inFlight >= IN_FLIGHT_TOKENS) return;
    this.o.generator.request(IN_FLIGHT_TOKENS - this.inFlight);
    this.inFlight = IN_FLIGHT_TOKENS;
  }

  /** Status ticks run on the injected clock (coarse), so tests with a fake clock see them too. */
  private scheduleTick(fromMs: number): void {
    const at = fromMs + this.o.statusIntervalMs;
    this.cancelTicks = this.waker.wakeAt(at, () => this.tick(at), true);
  }

  private tick(at: number): void {
    if (this.stateValue === 'stopped') return;
    this.refill();
    this.emit('buffer', { seconds: this.bufferSeconds() });
    if (at - this.lastRateMs >= 1000) {
      this.lastRateMs = at;
      const r = this.rate.take();
      if (r) this.emit('rate', r);
    }
    this.scheduleTick(at);
  }

  private deliver(message: MidiMessage, due: number): void {
    let status: NoteStatus | null;
    try {
      status = this.sink.send(message, due);
    } catch (error) {
      this.fail(error as Error);
      return;
    }
    if (status) this.emit('note', status);
  }

  private onInput(message: MidiMessage, ms: number): void {
    if (this.stateValue === 'stopped') return;
    if (this.follower?.handle(message, ms)) return;
    if (message.type === 'cc') {
      this.onControlChange(message.controller, message.value);
      return;
    }
    this.callResponse?.handle(message, ms, this.stateValue !== 'listening');
  }

  /** The player starts a new phrase: the answer stops at once and its notes are silenced. */
  private interruptAnswer(): void {
    this.epoch = this.o.generator.reset([]);
    this.inFlight = 0;
    this.scheduler.clear();
    this.scheduler.setHorizon(null);
    this.gate = null;
    this.held = [];
    this.phraseActive = false;
    this.leadSilenceLeftMs = null;
    this.silence();
    this.setState('listening');
  }

  private onControlChange(controller: number, value: number): void {
    for (const [name, cc] of Object.entries(this.o.ccMap)) {
      if (cc !== controller) continue;
      if (name === 'pause') {
        if (value >= 64) this.pause();
        else this.resume();
      } else {
        this.setControls({ [name]: controlFromCc(name as ControlName, value) });
      }
    }
  }

  private onTransportStop(): void {
    this.silence();
    this.setState('waiting');
  }

  /** Sends note-offs for sounding notes and CC 123; pending notes stay queued (their offs are harmless). */
  private silence(): void {
    this.sink.silence(this.o.channel);
  }

  private shutdown(): void {
    this.setState('stopped');
    this.cancelTicks?.();
    this.cancelTicks = null;
    this.callResponse?.cancel();
    this.scheduler.dispose();
    this.timeline.stop(this.clock.now());
    this.silence();
  }

  private fail(error: Error): void {
    if (this.stateValue === 'stopped') return;
    this.shutdown();
    void this.o.generator.close();
    if (this.listenerCount('error') > 0) this.emit('error', error);
  }
}
