/*
 * A JACK MIDI output that places each message at the exact frame of its due time.
 *
 * RtMidi's JACK backend writes every message at frame 0 of the next process cycle, so onsets are
 * quantised to the period and any delay of the sending thread shows in the timing. Here the sender
 * hands messages over ahead of time with their due time on JACK's clock (`sendAt`), through a
 * lock-free single-producer single-consumer jack_ringbuffer_t; the process callback writes each
 * message whose time falls in the current cycle at its frame offset, a late one at frame 0, and leaves
 * later ones in the ring for later cycles. Times map to frames through the frame clock's epoch as
 * this client observes it (`track_epoch`), not through JACK's delay-locked loop. Event times within a buffer never decrease (JACK requires
 * it), and the ring's order is kept, so a note-off handed over after its note-on never overtakes it.
 *
 * `sendAt` allocates nothing, takes no lock and returns a small integer (no heap number), so the
 * bridge's sending thread can call it from its allocation-free loop.
 *
 * Exports (all take the handle returned by `open` first):
 *   open(clientName, portName, connectTo | null) -> handle   throws with JACK's reason
 *   sendAt(handle, packed, jackTimeUs) -> 1 queued, 0 ring full (try again), -1 server gone / closed
 *     packed = status | data1 << 8 | data2 << 16 (length follows from the status byte)
 *   now(handle) -> jack_get_time() in microseconds
 *   clockOffset(handle, out: Float64Array) -> writes jack_get_time() - CLOCK_MONOTONIC, in us, to out[0]
 *     (JACK2 reads CLOCK_MONOTONIC_RAW on Linux, process.hrtime CLOCK_MONOTONIC: they differ by what
 *     NTP has slewed since boot, and drift apart by its slew rate, so the sender re-reads this often;
 *     through a typed array, so the call allocates nothing)
 *   info(handle) -> { client, port, sampleRate, bufferSize }
 *   stats(handle) -> { written, late, cycles, pending }
 *   close(handle, timeoutMs) -> true when everything handed over was written before the client closed
 */
#include <errno.h>
#include <jack/jack.h>
#include <jack/midiport.h>
#include <jack/ringbuffer.h>
#include <node_api.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* One queued message: 16 bytes, so the ring always holds whole messages. */
typedef struct {
  jack_time_t time;
  uint32_t packed;
  uint32_t unused;
} queued_t;

/* Room for 8192 messages: the bridge hands over at most a few tens of ms ahead, a few dozen. */
#define RING_BYTES (8192 * sizeof(queued_t))

typedef struct {
  jack_client_t *client;
  jack_port_t *port;
  jack_ringbuffer_t *ring;
  /* Written by the process thread, read by others (atomics). */
  uint64_t written;
  uint64_t late;
  uint64_t cycles;
  /* Set by JACK's shutdown callback when the server goes away. */
  int gone;
  /* Set once closed: sendAt refuses from then on. */
  int closed;
  /* The frame clock's epoch (see `frame_epoch`): µs of JACK time at frame 0, and its window minima. */
  double epoch;
  double block_min[2];
  uint32_t block_cycles;
  double frames_per_us;
  /* Frames since the client started, unwrapped (JACK's 32-bit count wraps after a day at 48 kHz). */
  int64_t frames;
  jack_nframes_t last_cycle_start;
} output_t;

/* Cycles per block of the epoch's sliding minimum: two blocks make its window (about 170 ms at 32
   frames per period, 48 kHz). */
#define EPOCH_BLOCK 128

/*
 * Where frame 0 lies on JACK's clock, so that a time maps to a frame as (t - epoch) * rate.
 *
 * JACK's own mapping (jack_time_to_frames) goes through its delay-locked loop, which a missed cycle
 * kicks. Compared here (dummy driver, 32-frame periods, a busy machine), placing by it was off by up
 * to 14 ms for seconds after missed cycles, and runs where messages came out at frame 0 of much later
 * cycles; this estimate had neither. Each cycle's callback starts a little after its first frame's
 * time (never before), so `now - frames / rate` is the epoch plus that wake-up delay, and its minimum
 * over a short sliding window is the epoch (plus the smallest delay: a constant latency). A driver
 * that loses time (the dummy driver restarts its schedule after a late cycle) moves the epoch later;
 * the window lets the estimate follow within about 0.3 s.
 */
static void track_epoch(output_t *out, jack_nframes_t cycle_start) {
  double now = (double)jack_get_time();
  if (out->block_cycles == 0) {
    out->frames = cycle_start;
  } else {
    out->frames += (jack_nframes_t)(cycle_start - out->last_cycle_start);
  }
  out->last_cycle_start = cycle_start;
  double epoch = now - (double)out->frames / out->frames_per_us;
  if (out->block_cycles == 0) out->block_min[0] = out->block_min[1] = epoch;
  if (epoch < out->block_min[1]) out->block_min[1] = epoch;
  if (++out->block_cycles % EPOCH_BLOCK == 0) {
    out->block_min[0] = out->block_min[1];
    out->block_min[1] = epoch;
  }
  out->epoch = out->block_min[0] < out->block_min[1] ? out->block_min[0] : out->block_min[1];
}

static size_t message_length(uint32_t status) {
  if (status >= 0xf8) return 1;
  if (status >= 0xc0 && status < 0xe0) return 2;
  if (status == 0xf1 || status == 0xf3) return 2;
  if (status == 0xf6) return 1;
  return 3;
}

static int process(jack_nframes_t nframes, void *arg) {
  output_t *out = (output_t *)arg;
  void *buffer = jack_port_get_buffer(out->port, nframes);
  jack_midi_clear_buffer(buffer);
  jack_nframes_t cycle_start = jack_last_frame_time(out->client);
  track_epoch(out, cycle_start);
  jack_nframes_t last = 0;
  uint64_t written = 0, late = 0;
  queued_t m;
  while (jack_ringbuffer_read_space(out->ring) >= sizeof m) {
    jack_ringbuffer_peek(out->ring, (char *)&m, sizeof m);
    /* Signed difference: frame counters wrap, and a late message lies before the cycle. */
    double frame = ((double)m.time - out->epoch) * out->frames_per_us;
    int64_t wanted = (int64_t)(frame + 0.5) - out->frames;
    int32_t offset = wanted > (int64_t)nframes ? (int32_t)nframes : wanted < -1 ? -1 : (int32_t)wanted;
    if (offset >= (int32_t)nframes) break; /* due in a later cycle: stays in the ring */
    if (offset < 0) {
      offset = 0;
      late++;
    }
    if ((jack_nframes_t)offset < last) offset = (int32_t)last;
    jack_midi_data_t bytes[3] = {m.packed & 0xff, (m.packed >> 8) & 0xff, (m.packed >> 16) & 0xff};
    /* A full port buffer keeps the rest for the next cycle, in order. */
    if (jack_midi_event_write(buffer, (jack_nframes_t)offset, bytes, message_length(bytes[0])) != 0) break;
    last = (jack_nframes_t)offset;
    jack_ringbuffer_read_advance(out->ring, sizeof m);
    written++;
  }
  if (written) __atomic_add_fetch(&out->written, written, __ATOMIC_RELEASE);
  if (late) __atomic_add_fetch(&out->late, late, __ATOMIC_RELAXED);
  __atomic_add_fetch(&out->cycles, 1, __ATOMIC_RELEASE);
  return 0;
}

static void on_shutdown(void *arg) {
  output_t *out = (output_t *)arg;
  __atomic_store_n(&out->gone, 1, __ATOMIC_RELEASE);
}

static void release(output_t *out) {
  if (out->client) {
    jack_deactivate(out->client);
    jack_client_close(out->client);
    out->client = NULL;
  }
  if (out->ring) {
    jack_ringbuffer_free(out->ring);
    out->ring = NULL;
  }
}

static void finalize(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  output_t *out = (output_t *)data;
  release(out);
  free(out);
}

static napi_value throw_error(napi_env env, const char *message) {
  napi_throw_error(env, NULL, message);
  return NULL;
}

static output_t *get_output(napi_env env, napi_value value) {
  void *data = NULL;
  if (napi_get_value_external(env, value, &data) != napi_ok || data == NULL) {
    throw_error(env, "jack-output: not a handle");
    return NULL;
  }
  return (output_t *)data;
}

/*
 * The arguments of a call on a handle (at most `max` into argv) and the output its first argument
 * names; NULL with a JavaScript error pending when fewer than `min` were given (`usage` says how to
 * call it) or the first is not a handle.
 */
static output_t *handle_call(napi_env env, napi_callback_info info, napi_value *argv, size_t min, size_t max,
                             const char *usage) {
  size_t argc = max;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc < min) {
    throw_error(env, usage);
    return NULL;
  }
  return get_output(env, argv[0]);
}

static int get_string(napi_env env, napi_value value, char *buf, size_t size) {
  size_t length = 0;
  return napi_get_value_string_utf8(env, value, buf, size, &length) == napi_ok && length < size - 1;
}

static void sleep_ms(double ms) {
  struct timespec ts = {(time_t)(ms / 1000), (long)((ms - (time_t)(ms / 1000) * 1000) * 1e6)};
  nanosleep(&ts, NULL);
}

static napi_value js_open(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc < 3) return throw_error(env, "jack-output: open(clientName, portName, connectTo | null)");
  char client_name[256], port_name[256], target[512];
  if (!get_string(env, argv[0], client_name, sizeof client_name) ||
      !get_string(env, argv[1], port_name, sizeof port_name)) {
    return throw_error(env, "jack-output: client and port names must be strings under 255 bytes");
  }
  napi_valuetype target_type;
  napi_typeof(env, argv[2], &target_type);
  int connect = target_type == napi_string;
  if (connect && !get_string(env, argv[2], target, sizeof target)) {
    return throw_error(env, "jack-output: the port to connect to must be a string under 511 bytes");
  }

  output_t *out = (output_t *)calloc(1, sizeof *out);
  if (!out) return throw_error(env, "jack-output: out of memory");
  char message[768];
  jack_status_t status = 0;
  /* Never start a server behind the user's back (a JACK server started this way has no driver
     settings of theirs); the name is made unique by JACK when taken, as RtMidi's clients are. */
  out->client = jack_client_open(client_name, JackNoStartServer, &status);
  if (!out->client) {
    free(out);
    snprintf(message, sizeof message, "cannot open a JACK client (status 0x%x): is a JACK server running?",
             (unsigned)status);
    return throw_error(env, message);
  }
  out->ring = jack_ringbuffer_create(RING_BYTES);
  out->port = out->ring ? jack_port_register(out->client, port_name, JACK_DEFAULT_MIDI_TYPE,
                                             JackPortIsOutput, 0)
                        : NULL;
  if (!out->port) {
    release(out);
    free(out);
    snprintf(message, sizeof message, "cannot register JACK MIDI port '%s' (name taken or too long?)",
             port_name);
    return throw_error(env, message);
  }
  out->frames_per_us = jack_get_sample_rate(out->client) / 1e6;
  jack_on_shutdown(out->client, on_shutdown, out);
  if (jack_set_process_callback(out->client, process, out) != 0 || jack_activate(out->client) != 0) {
    release(out);
    free(out);
    return throw_error(env, "cannot activate the JACK client");
  }
  if (connect) {
    int r = jack_connect(out->client, jack_port_name(out->port), target);
    if (r != 0 && r != EEXIST) {
      release(out);
      free(out);
      snprintf(message, sizeof message, "cannot connect to JACK port '%s' (error %d)", target, r);
      return throw_error(env, message);
    }
  }
  napi_value handle;
  if (napi_create_external(env, out, finalize, NULL, &handle) != napi_ok) {
    release(out);
    free(out);
    return throw_error(env, "jack-output: cannot create the handle");
  }
  return handle;
}

static napi_value js_send_at(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  output_t *out = handle_call(env, info, argv, 3, 3, "jack-output: sendAt(handle, packed, jackTimeUs)");
  if (!out) return NULL;
  napi_value result;
  uint32_t packed = 0;
  double time_us = 0;
  napi_get_value_uint32(env, argv[1], &packed);
  napi_get_value_double(env, argv[2], &time_us);
  int code;
  if (__atomic_load_n(&out->gone, __ATOMIC_ACQUIRE) || out->closed || !out->ring) {
    code = -1;
  } else if (jack_ringbuffer_write_space(out->ring) < sizeof(queued_t)) {
    code = 0;
  } else {
    queued_t m = {time_us > 0 ? (jack_time_t)time_us : 0, packed, 0};
    jack_ringbuffer_write(out->ring, (const char *)&m, sizeof m);
    code = 1;
  }
  napi_create_int32(env, code, &result);
  return result;
}

static double monotonic_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static napi_value js_clock_offset(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  if (!handle_call(env, info, argv, 2, 2, "jack-output: clockOffset(handle, out)")) return NULL;
  napi_typedarray_type type;
  size_t length = 0;
  void *data = NULL;
  if (napi_get_typedarray_info(env, argv[1], &type, &length, &data, NULL, NULL) != napi_ok ||
      type != napi_float64_array || length < 1) {
    return throw_error(env, "jack-output: clockOffset needs a Float64Array");
  }
  /* The read with the shortest bracket wins: a preemption between the reads only widens it. */
  double best = 0, best_width = 1e300;
  for (int i = 0; i < 5; i++) {
    double before = monotonic_us();
    double jack = (double)jack_get_time();
    double after = monotonic_us();
    if (after - before < best_width) {
      best_width = after - before;
      best = jack - (before + after) / 2;
    }
  }
  ((double *)data)[0] = best;
  return NULL;
}

static void set_number(napi_env env, napi_value object, const char *key, double value) {
  napi_value v;
  napi_create_double(env, value, &v);
  napi_set_named_property(env, object, key, v);
}

static void set_string(napi_env env, napi_value object, const char *key, const char *value) {
  napi_value v;
  napi_create_string_utf8(env, value, NAPI_AUTO_LENGTH, &v);
  napi_set_named_property(env, object, key, v);
}

static napi_value js_info(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  output_t *out = handle_call(env, info, argv, 1, 1, "jack-output: info(handle)");
  if (!out) return NULL;
  if (!out->client) return throw_error(env, "jack-output: closed");
  napi_value result;
  napi_create_object(env, &result);
  set_string(env, result, "client", jack_get_client_name(out->client));
  set_string(env, result, "port", jack_port_name(out->port));
  set_number(env, result, "sampleRate", jack_get_sample_rate(out->client));
  set_number(env, result, "bufferSize", jack_get_buffer_size(out->client));
  return result;
}

static napi_value js_stats(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  output_t *out = handle_call(env, info, argv, 1, 1, "jack-output: stats(handle)");
  if (!out) return NULL;
  napi_value result;
  napi_create_object(env, &result);
  set_number(env, result, "written", (double)__atomic_load_n(&out->written, __ATOMIC_ACQUIRE));
  set_number(env, result, "late", (double)__atomic_load_n(&out->late, __ATOMIC_RELAXED));
  set_number(env, result, "cycles", (double)__atomic_load_n(&out->cycles, __ATOMIC_ACQUIRE));
  set_number(env, result, "pending",
             out->ring ? (double)(jack_ringbuffer_read_space(out->ring) / sizeof(queued_t)) : 0);
  return result;
}

/*
 * Waits until the process callback has written everything handed over (messages due in the future
 * wait for their time), then two more cycles so that readers have taken the last buffer, and only
 * then closes the client: the bridge's final note-offs must reach the other side.
 */
static napi_value js_close(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  output_t *out = handle_call(env, info, argv, 1, 2, "jack-output: close(handle, timeoutMs)");
  if (!out) return NULL;
  /* Kept when the timeout is not given: N-API fills missing arguments with undefined, not a number. */
  double timeout_ms = 2000;
  napi_get_value_double(env, argv[1], &timeout_ms);
  int flushed = 1;
  if (out->client && !out->closed) {
    out->closed = 1;
    double waited = 0;
    while (!__atomic_load_n(&out->gone, __ATOMIC_ACQUIRE) && jack_ringbuffer_read_space(out->ring) > 0) {
      if (waited >= timeout_ms) break;
      sleep_ms(0.5);
      waited += 0.5;
    }
    flushed = jack_ringbuffer_read_space(out->ring) == 0;
    uint64_t cycles = __atomic_load_n(&out->cycles, __ATOMIC_ACQUIRE);
    while (!__atomic_load_n(&out->gone, __ATOMIC_ACQUIRE) &&
           __atomic_load_n(&out->cycles, __ATOMIC_ACQUIRE) < cycles + 2 && waited < timeout_ms + 200) {
      sleep_ms(0.5);
      waited += 0.5;
    }
    release(out);
  }
  napi_value result;
  napi_get_boolean(env, flushed, &result);
  return result;
}

NAPI_MODULE_INIT() {
  napi_property_descriptor props[] = {
      {"open", NULL, js_open, NULL, NULL, NULL, napi_default, NULL},
      {"sendAt", NULL, js_send_at, NULL, NULL, NULL, napi_default, NULL},
      {"clockOffset", NULL, js_clock_offset, NULL, NULL, NULL, napi_default, NULL},
      {"info", NULL, js_info, NULL, NULL, NULL, napi_default, NULL},
      {"stats", NULL, js_stats, NULL, NULL, NULL, napi_default, NULL},
      {"close", NULL, js_close, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
  return exports;
}
