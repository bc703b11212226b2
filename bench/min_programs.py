#!/usr/bin/env python3
"""min_programs.py REPLAY VARIANT CLASS IN OUT - the fewest rmap_ops
operations that still show CLASS.

Greedy, until nothing more goes: drop the schedule (the default one runs
each CPU's program in turn), then turn each operation into a nop, keeping a
change when replay (out/replay --variant VARIANT rmap_ops) still reports
CLASS.  Writes the input to OUT and prints the operations left, in the
order the default schedule runs them when the schedule went (else the
programs as they stand), one line: "N ops: op op ...".  The input format
is docs/scenarios-and-variants.md's: a header of RMAP_OPS_HEADER bytes, the
CPU count in byte 0, four operation bytes per CPU.
"""
import subprocess
import sys

HEADER = 17


def shows(replay, variant, cls, data, out):
    with open(out, 'wb') as f:
        f.write(data)
    r = subprocess.run([replay, '--variant', variant, 'rmap_ops', out],
                       capture_output=True, text=True)
    return any(line.startswith('VIOLATION ' + cls + ':')
               for line in r.stdout.splitlines())


def ops_bytes(data):
    ncpus = 2 + data[0] % 3
    return [i for i in range(1, 1 + 4 * ncpus) if data[i] % 16 % 10]


def main():
    replay, variant, cls, path, out = sys.argv[1:6]
    with open(path, 'rb') as f:
        data = f.read()
    data += bytes(max(0, HEADER - len(data)))
    if not shows(replay, variant, cls, data, out):
        sys.exit('min_programs: %s does not show %s' % (path, cls))
    changed = True
    while changed:
        changed = False
        if len(data) > HEADER and shows(replay, variant, cls,
                                        data[:HEADER], out):
            data, changed = data[:HEADER], True
        for i in ops_bytes(data):
            trial = data[:i] + b'\0' + data[i + 1:]
            if shows(replay, variant, cls, trial, out):
                data, changed = trial, True
    with open(out, 'wb') as f:
        f.write(data)
    r = subprocess.run([replay, '--variant', variant, 'rmap_ops', out],
                       capture_output=True, text=True)
    ops = []
    for line in r.stdout.splitlines():
        if line.startswith('cpu') and ':' in line:
            ops += line.split(':', 1)[1].split()
    order = 'in turn' if len(data) == HEADER else 'interleaved'
    print('%d ops (%s): %s' % (len(ops_bytes(data)), order, ' '.join(ops)))


main()
