import { EventEmitter } from 'node:events';
import { runningState, stateAfterStart, stateWhenGateOpens } from './bridge-state.js';
import { CallResponse } from './call-response.js';
import { type Clock, createCoarseWaker, createPreciseWaker, monotonicClock, type Waker } from './clock.js';
import { ClockFollower } from './clock-follower.js';
import { startIds } from './codec.js';
import { type Controls, defaultControls, validateControls } from './controls.js';
import { BridgeError } from './errors.js';
import { GenerationFeed } from './generation-feed.js';
import { InputRouter } from './input-router.js';
import { type MidiMessage, noteOff, noteOn } from './messages.js';
import { MusicPlacement } from './music-placement.js';
import { type LiveBridgeOptions, type ResolvedBridgeOptions, resolveBridgeOptions } from './options.js';
import { OutputSink } from './output-sink.js';
import { type GateReason, PlaybackGate } from './playback-gate.js';
import { Scheduler, type TimedMessage } from './scheduler.js';
import type { BridgeEvents, BridgeState, NoteStatus } from './status.js';
import { StatusTicker } from './status-ticker.js';
import { Timeline } from './timeline.js';
import { type NoteEdge, TokenDecoder } from './token-decoder.js';

/** How often the notes a sending thread has sent are reported (`note` events), ms. */
const COLLECT_MS = 10;

/** Playback of fresh music is placed this far after "now", so its first notes are not already late. */
const START_MARGIN_MS = 5;

const samplingOf = (c: Controls) => ({ temperature: c.temperature, topK: c.topK, topP: c.topP });

/**
 * Streams a token generator to a MIDI port in real time. The main thread only decodes tokens, keeps
 * the lookahead buffer filled and sends each message at its absolute time; the model runs wherever
 * the injected generator runs (a worker thread in production).
 *
 * The parts, each in its own module: tokens become note edges in the `GenerationFeed`, wait behind the
 * `PlaybackGate` until enough is buffered, are placed on the transport by `MusicPlacement` and sent on
 * time by the `Scheduler` through the `OutputSink`. The `InputRouter` hands the input port's messages to
 * the clock follower, the CC controls and call-and-response; `bridge-state.ts` decides the state shown;
 * the `StatusTicker` reports the buffer and the generation rate. This class connects them and holds the
 * public API.
 */
export class LiveBridge extends EventEmitter<BridgeEvents> {
  private readonly o: ResolvedBridgeOptions;
  private readonly clock: Clock;
  private readonly waker: Waker;
  private readonly timeline: Timeline;
  private readonly placement: MusicPlacement;
  private readonly scheduler: Scheduler;
  private readonly sink: OutputSink;
  private readonly feed: GenerationFeed;
  private readonly gate = new PlaybackGate();
  private readonly callResponse: CallResponse | null;
  private readonly follower: ClockFollower | null;
  private readonly inputs: InputRouter;
  private readonly ticker: StatusTicker;
  private controlsValue: Controls;
  private stateValue: BridgeState = 'starting';
  private started = false;
  private underruns = 0;
  private cancelCollect: (() => void) | null = null;

  constructor(options: LiveBridgeOptions) {
    super();
    this.o = resolveBridgeOptions(options);
    this.clock = options.clock ?? monotonicClock;
    const timed = this.o.output.timed;
    // A port with its own sending thread is fed ahead of time, so this thread needs no precise wake-ups.
    this.waker = options.waker ?? (timed ? createCoarseWaker(this.clock) : createPreciseWaker(this.clock));
    this.timeline = new Timeline(this.o.bpm);
    this.placement = new MusicPlacement(this.timeline, this.o.bpm);
    this.sink = new OutputSink(this.o.output, this.o.recorder, this.clock);
    this.controlsValue = { ...defaultControls, ...this.o.controls };
    this.scheduler = new Scheduler({
      clock: this.clock,
      waker: this.waker,
      timeline: this.timeline,
      offsetMs: this.o.offsetMs,
      leadMs: timed?.leadMs ?? 0,
      deliver: (message, due, item) => this.deliver(message, due, item),
    });
    const decoder = new TokenDecoder(this.o.codec, {
      maxNoteMs: this.o.maxNoteMs,
      density: this.controlsValue.density,
      rng: this.o.rng,
      defaultVelocity: 64,
    });
    const mode = this.o.mode;
    this.feed = new GenerationFeed(this.o.generator, this.o.codec, decoder, mode === 'call-response');
    this.callResponse =
      mode === 'generate'
        ? null
        : new CallResponse(
            this.o.codec,
            this.waker,
            {
              mode,
              silenceMs: () => this.o.silenceBeats * this.timeline.msPerBeat,
              minAnswerMs: this.placement.msPerBeatAtGrid,
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
    this.inputs = new InputRouter({
      follower: this.follower,
      ccMap: this.o.ccMap,
      callResponse: this.callResponse,
      pause: () => this.pause(),
      resume: () => this.resume(),
      setControls: (update) => this.setControls(update),
      answering: () => this.stateValue !== 'listening',
    });
    this.ticker = new StatusTicker(this.waker, this.o.statusIntervalMs, {
      tick: () => {
        this.refill();
        this.emit('buffer', { seconds: this.bufferSeconds() });
      },
      rate: (figures) => this.emit('rate', figures),
    });
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
    const held = this.gate.closed;
    const from = held ? held.fromMusicMs : this.placement.musicAt(now);
    return Math.max(0, this.feed.musicMs - from) / 1000;
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
        if (this.feed.isCurrent(epoch)) this.emit('primer', { tokens });
      },
      error: (error) => this.fail(error),
    });
    this.o.input?.onMessage((message, ms) => {
      if (this.stateValue !== 'stopped') this.inputs.handle(message, ms);
    });
    this.o.generator.setSampling(samplingOf(this.controlsValue));
    // A free-running transport starts now; a followed one waits for the DAW's Start.
    if (!this.follower) this.timeline.start(this.clock.now(), 0);
    this.ticker.start(this.clock.now());
    if (this.o.output.timed) this.collectSent();
    try {
      await this.o.generator.ready;
    } catch (error) {
      this.fail(error instanceof Error ? error : new Error(String(error)));
      throw error;
    }
    if (this.stateValue === 'stopped') return;
    if (this.o.mode === 'generate') this.beginPhrase(this.o.primer ?? startIds(this.o.codec), null, 'start');
    this.setState(stateAfterStart(this.o.mode, this.follower !== null && !this.follower.isRunning));
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
    // What was handed to a sending thread and not yet sent plays after resume, like the rest.
    this.scheduler.enqueue(this.silence());
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
    this.feed.density = this.controlsValue.density;
    this.o.generator.setSampling(samplingOf(this.controlsValue));
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

  private startMarginMs(): number {
    return Math.max(0, -this.scheduler.offsetMs) + START_MARGIN_MS;
  }

  private runningState(): BridgeState {
    return runningState({
      gate: this.gate.closed?.reason ?? null,
      answersPlayer: this.callResponse !== null,
      phraseOpen: this.feed.isActive && !this.feed.isDone,
    });
  }

  private setState(state: BridgeState): void {
    if (state === this.stateValue) return;
    this.stateValue = state;
    this.emit('state', state);
  }

  /** Starts a new stretch of music conditioned on `primer`, held behind the gate until buffered. */
  private beginPhrase(primer: readonly number[], lengthMs: number | null, reason: GateReason): void {
    this.feed.begin(primer, lengthMs, reason === 'response');
    this.gate.close({
      fromMusicMs: this.feed.musicMs,
      thresholdMs: reason === 'underrun' ? this.o.resumeBufferMs : this.o.startBufferMs,
      reason,
      sinceMs: this.clock.now(),
    });
    this.scheduler.setHorizon(null);
    this.refill();
  }

  private onTokens(ids: number[], epoch: number, busyMs: number): void {
    if (this.stateValue === 'stopped') return;
    const before = this.feed.musicMs;
    const edges = this.feed.take(ids, epoch);
    if (edges === null) return;
    this.ticker.rate.add(ids.length, this.feed.musicMs - before, busyMs);
    if (this.gate.closed) {
      this.gate.hold(edges);
      this.openGateIfReady(this.clock.now());
    } else {
      this.schedule(edges);
    }
    this.refill();
  }

  private openGateIfReady(now: number): void {
    const opened = this.gate.openIfReady(this.feed.musicMs, this.feed.isDone);
    if (!opened) return;
    const { gate, held } = opened;
    // Place the gated music at "now" (plus a margin) on the current transport position.
    this.placement.place(gate.fromMusicMs, now, this.startMarginMs());
    if (gate.reason === 'underrun') {
      this.underruns++;
      this.emit('underrun', { lateMs: now - gate.sinceMs + this.startMarginMs(), time: gate.sinceMs });
    }
    this.setState(stateWhenGateOpens(this.stateValue, this.feed.hasEnd));
    this.schedule(held);
  }

  private schedule(edges: readonly NoteEdge[]): void {
    const ch = this.o.channel;
    this.scheduler.enqueue(
      edges.map((e) => ({
        beat: this.placement.beatOf(e.musicMs),
        message: e.on ? noteOn(ch, e.pitch, e.velocity) : noteOff(ch, e.pitch),
      })),
    );
    this.scheduler.setHorizon(this.placement.beatOf(this.feed.musicMs), () => this.onHorizon());
  }

  /** Playback reached the end of the generated music. */
  private onHorizon(): void {
    if (this.stateValue === 'stopped') return;
    if (this.feed.isDone) {
      // The response is over; wait for the player again.
      this.feed.finish();
      if (this.callResponse) this.setState('listening');
      return;
    }
    const now = this.clock.now();
    this.gate.close({
      fromMusicMs: this.feed.musicMs,
      thresholdMs: this.o.resumeBufferMs,
      reason: 'underrun',
      sinceMs: now,
    });
    this.setState('underrun');
    this.openGateIfReady(now);
  }

  /** Keeps tokens requested while less than the lookahead is buffered. */
  private refill(): void {
    if (this.stateValue === 'stopped') return;
    this.feed.refill(this.bufferSeconds() * 1000, this.o.lookaheadMs);
  }

  private deliver(message: MidiMessage, due: number, item: TimedMessage): void {
    let status: NoteStatus | null;
    try {
      status = this.sink.send(message, due, item);
    } catch (error) {
      this.fail(error as Error);
      return;
    }
    if (status) this.emit('note', status);
  }

  /** Timed ports: reports the notes the sending thread has sent, every COLLECT_MS while running. */
  private collectSent(): void {
    if (this.stateValue === 'stopped') return;
    let statuses: NoteStatus[];
    try {
      statuses = this.sink.collect();
    } catch (error) {
      this.fail(error as Error);
      return;
    }
    for (const status of statuses) this.emit('note', status);
    this.cancelCollect = this.waker.wakeAt(this.clock.now() + COLLECT_MS, () => this.collectSent(), true);
  }

  /** The player starts a new phrase: the answer stops at once and its notes are silenced. */
  private interruptAnswer(): void {
    this.feed.cancel();
    this.scheduler.clear();
    this.scheduler.setHorizon(null);
    this.gate.clear();
    this.silence();
    this.setState('listening');
  }

  private onTransportStop(): void {
    this.scheduler.enqueue(this.silence());
    this.setState('waiting');
  }

  /** Sends note-offs for sounding notes and CC 123; pending notes stay queued (their offs are harmless). */
  private silence(): TimedMessage[] {
    const { statuses, dropped } = this.sink.silence(this.o.channel);
    for (const status of statuses) this.emit('note', status);
    return dropped;
  }

  private shutdown(): void {
    this.setState('stopped');
    this.ticker.stop();
    this.cancelCollect?.();
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
