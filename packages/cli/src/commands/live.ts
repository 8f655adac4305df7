import { type Command, Option } from 'commander';
import { addCommonOptions, addExamples, type CliEnv } from '../command-kit.js';
import { dashboardOption } from '../dashboard-option.js';
import { addSamplingOptions } from '../sampling-options.js';
import { parseFloatArg, parseIntArg } from '../values.js';
import { type LiveFlags, parseCc } from './live-options.js';
import { runLive } from './run-live.js';

/** `mt live [model]`: plays the model in real time into a DAW over a (virtual) MIDI port. */
export function registerLive(program: Command, env: CliEnv): void {
  const command = program
    .command('live')
    .description('play a model live into a DAW or synth over a (virtual) MIDI port, in real time')
    .usage('[options] [model]')
    .argument('[model]', "model or checkpoint file ('default' or omitted: the bundled model)")
    .option('--list-ports', 'list the MIDI input and output ports and exit')
    .option(
      '--output <name>',
      'send to this existing MIDI output (name or unique part of it) instead of a virtual port',
    )
    .option('--port-name <name>', 'name of the virtual output port to create', 'Music Transformer')
    .option('--input <name>', "listen on this existing MIDI input (player's notes, clock, CCs)")
    .option(
      '--virtual-input [name]',
      'create a virtual input port to listen on (default name "Music Transformer In")',
    )
    .addOption(
      new Option('--mode <mode>', 'generate continuously, answer the player, or keep continuing the player')
        .choices(['generate', 'call-response', 'continue'])
        .default('generate'),
    )
    .option(
      '--bpm <n>',
      "tempo of the grid; the model's timing plays unchanged at this tempo",
      parseFloatArg({ min: 20, max: 400 }),
      120,
    )
    .option('--follow-clock', 'follow MIDI clock and Start/Stop/Continue from the input (the DAW transport)')
    .option('--channel <n>', 'MIDI channel 1-16', parseIntArg({ min: 1, max: 16 }), 1)
    .option(
      '--offset <ms>',
      'latency compensation: shift every send by this many ms (may be negative)',
      parseFloatArg({ min: -1000, max: 1000 }),
      0,
    )
    .option(
      '--lookahead <s>',
      'seconds of music kept generated ahead of playback',
      parseFloatArg({ min: 0.1, max: 60 }),
      2,
    )
    .option(
      '--silence <beats>',
      'call and response: silence after the phrase before answering, in beats',
      parseFloatArg({ min: 0.25, max: 64 }),
      4,
    );
  // The bridge's controls refuse temperatures above 10 (validateControls in the live-bridge package).
  addSamplingOptions(command, { maxTemperature: 10 });
  command
    .option(
      '--density <float>',
      'fraction of generated notes that are played, 0..1',
      parseFloatArg({ min: 0, max: 1 }),
      1,
    )
    .option(
      '--cc <name=number>',
      'map a MIDI CC to temperature, topK, topP, density or pause (repeatable)',
      parseCc,
    )
    .option('--record <file.mid>', 'also record what is sent to a MIDI file (written on stop)')
    .option('-f, --force', 'overwrite the --record file if it exists')
    .option('-i, --primer <file.mid>', 'generate mode: continue this MIDI file')
    .option(
      '--duration <s>',
      'stop after this many seconds (default: until Ctrl-C)',
      parseFloatArg({ above: 0 }),
    )
    .option(
      '--max-seconds <s>',
      'each piece (or answer) ends by this much music: steered to an ending, then a fresh piece starts',
      parseFloatArg({ above: 0, max: 36_000 }),
    )
    .option(
      '--max-tokens <n>',
      'each piece (or answer) ends by this many tokens (default: no limit per piece)',
      parseIntArg({ min: 1, max: 1_000_000 }),
    )
    .option('--no-realtime', 'do not ask Linux for real-time scheduling of the sending thread')
    .option('--status', 'print buffer level, generation rate and note count every second (stderr)')
    .addOption(dashboardOption('with the live view'))
    .option('--logdir <dir>', 'runs the --dashboard lists beside the live view', 'runs');
  addCommonOptions(command);
  addExamples(command, [
    'mt live --list-ports',
    'mt live                                   # virtual port "Music Transformer", default model',
    'mt live models/piano.safetensors -t 0.9 --record take1.mid',
    'mt live --output "loopMIDI Port" --channel 2        # Windows: an existing loopback port',
    'mt live --mode call-response --virtual-input --bpm 96',
    'mt live --input "IAC" --follow-clock --cc temperature=21 --cc density=22',
    'mt live -t 0.9 --min-seconds 30 --dashboard   # pieces of 30 s or more; live view on port 6006',
  ]);
  command.action(async (modelArg: string | undefined, flags: LiveFlags) => {
    await runLive(modelArg, flags, env);
  });
}
