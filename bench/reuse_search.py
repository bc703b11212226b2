#!/usr/bin/env python3
"""reuse_search.py - how big must rmap_ops' world be for CVE-2022-42703?

An independent, sequential model of the anon_vma rules from 3.19 on
(7a3ef208e662's degree, or 2555283eb40d's two counters), searched breadth
first over rmap_ops' operations, one at a time, with states told apart up
to the names of anon_vmas: the shortest sequence that breaks the
invariant, or that no sequence does in the world given.  A cross-check of
the world's size (process slots, vmas, pages), not of the C model's code:
no interleavings, no locks.

    bench/reuse_search.py [--fixed] [--procs N] [--goal mismatch|unreachable]
                          [--depth D]

--fixed: 2555283e's counters (default 7a3ef208's degree).  --procs:
process slots, P0 alive with one vma over addresses 0-1 (default 3).
--goal mismatch: two vmas share an anon_vma with different chains (the
invariant the 2022 commit names); unreachable: a mapped page's anon_vma
is not on the chain of the vma that maps it, or is freed (what a merge of
such vmas leads to).  --depth: the longest sequence tried (default 12).
Operations as in rmap_ops: fault(P,a), fork(P), exit(P), munmap(P,a),
split(P) (at address 1), merge(P,a) (mprotect of the vma over a like its
neighbour, as vma_merge decides it from 4.9: 965f55dea0e3's rule, the
neighbour grows).  Prints the depth reached and the states seen per
depth on stderr, the sequence (or "none") on stdout.
"""
import argparse
import itertools
import sys
from collections import deque

NADDR = 2
NPAGES = 2


class World:
    """procs[i]: None (a free slot) or a list of vmas [start, end,
    anon_vma, chain]; avs[id] = [parent, children, vmas] (degree is their
    sum); ptes[i][a]: a page or None; mapping[page]: an anon_vma."""

    def __init__(self, nprocs):
        self.procs = [[[0, NADDR, None, frozenset()]]] + [None] * (nprocs - 1)
        self.avs = {}
        self.ptes = [[None] * NADDR for _ in range(nprocs)]
        self.mapping = [None] * NPAGES
        self.next_id = 0

    def copy(self):
        w = World.__new__(World)
        w.procs = [None if p is None else [list(v) for v in p]
                   for p in self.procs]
        w.avs = {k: list(v) for k, v in self.avs.items()}
        w.ptes = [list(p) for p in self.ptes]
        w.mapping = list(self.mapping)
        w.next_id = self.next_id
        return w

    def key(self):
        names = {}

        def name(a):
            if a is None:
                return None
            return names.setdefault(a, len(names))
        procs = tuple(None if p is None else tuple(
            (v[0], v[1], name(v[2]), tuple(sorted(name(x) for x in v[3])))
            for v in p) for p in self.procs)
        for a in sorted(self.avs):
            name(a)
        avs = tuple(sorted((names[a], name(d[0]), d[1], d[2])
                           for a, d in self.avs.items()))
        return (procs, avs, tuple(map(tuple, self.ptes)),
                tuple(name(m) if m in self.avs else -1 if m is not None
                      else None for m in self.mapping))


def linked(w, a):
    return any(a in v[3] for p in w.procs if p for v in p)


def reusable(w, a, src, fixed):
    parent, children, vmas = w.avs[a]
    if fixed:
        return children < 2 and vmas == 0
    return a != src[2] and children + vmas < 2


def unlink(w, vma):
    """unlink_anon_vmas of a vma already off its mm's list."""
    empty = [a for a in vma[3] if not linked(w, a)]
    for a in empty:
        w.avs[w.avs[a][0]][1] -= 1
    if vma[2] is not None:
        w.avs[vma[2]][2] -= 1
    for a in empty:
        del w.avs[a]


def new_anon_vma(w, parent):
    a = w.next_id
    w.next_id += 1
    w.avs[a] = [a if parent is None else parent, 0, 1]
    w.avs[a if parent is None else parent][1] += 1
    return a


def apply(w, op, fixed):
    w = w.copy()
    kind, i = op[0], op[1]
    p = w.procs[i]
    over = [k for k, v in enumerate(p) if v[0] <= op[-1] < v[1]]
    if kind == 'fault':
        a = op[2]
        free = [g for g in range(NPAGES)
                if all(w.ptes[j][b] != g for j in range(len(w.procs))
                       for b in range(NADDR))]
        if not over or w.ptes[i][a] is not None or not free:
            return None
        v = p[over[0]]
        if v[2] is None:
            near = [n for n in p if n is not v and (n[0] == v[1] or
                                                    n[1] == v[0])]
            near = [n for n in near if n[2] is not None and len(n[3]) == 1]
            if near:
                v[2] = near[0][2]
                w.avs[v[2]][2] += 1
            else:
                v[2] = new_anon_vma(w, None)
            v[3] = frozenset([v[2]])
        w.ptes[i][a] = free[0]
        w.mapping[free[0]] = v[2]
    elif kind == 'fork':
        if None not in w.procs:
            return None
        j = w.procs.index(None)
        child = []
        for v in p:
            dst = [v[0], v[1], None, v[3]]
            if v[2] is not None:
                for a in sorted(v[3]):  # oldest first
                    if dst[2] is None and reusable(w, a, v, fixed):
                        dst[2] = a
                if dst[2] is not None:
                    w.avs[dst[2]][2] += 1
                else:
                    dst[2] = new_anon_vma(w, v[2])
                    dst[3] = v[3] | {dst[2]}
            child.append(dst)
        w.procs[j] = child
        w.ptes[j] = list(w.ptes[i])
    elif kind == 'exit':
        w.ptes[i] = [None] * NADDR
        while p:
            unlink(w, p.pop(0))
        w.procs[i] = None
    elif kind == 'munmap':
        if not over:
            return None
        v = p.pop(over[0])
        for b in range(v[0], v[1]):
            w.ptes[i][b] = None
        unlink(w, v)
    elif kind == 'split':
        if not over or p[over[0]][0] >= 1 or len(p) >= 2:
            return None
        v = p[over[0]]
        p.insert(over[0] + 1, [1, v[1], v[2], v[3]])
        v[1] = 1
        if v[2] is not None:
            w.avs[v[2]][2] += 1
    elif kind == 'merge':
        if len(p) != 2 or p[0][1] != p[1][0]:
            return None
        area, near = p[op[2]], p[1 - op[2]]
        if not (area[2] == near[2] or ((area[2] is None or near[2] is None)
                                       and len(near[3]) == 1)):
            return None
        w.procs[i] = [[0, NADDR, near[2], near[3]]]
        unlink(w, area)
    return w


def broken(w, goal):
    vmas = [(i, v) for i, p in enumerate(w.procs) if p for v in p]
    if goal == 'mismatch':
        return any(x[2] is not None and x[2] == y[2] and x[3] != y[3]
                   for (_, x), (_, y) in itertools.combinations(vmas, 2))
    for i, v in vmas:
        for a in range(v[0], v[1]):
            g = w.ptes[i][a]
            if g is not None and (w.mapping[g] not in v[3] or
                                  w.mapping[g] not in w.avs):
                return True
    return False


def ops(w):
    for i, p in enumerate(w.procs):
        if p is None:
            continue
        yield ('fork', i)
        yield ('exit', i)
        yield ('split', i, 1)
        for a in range(NADDR):
            yield ('fault', i, a)
            yield ('munmap', i, a)
            yield ('merge', i, a)


def name(op):
    if op[0] in ('fork', 'exit', 'split'):
        return '%s(P%d)' % op[:2]
    return '%s(P%d,%d)' % op


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--fixed', action='store_true')
    ap.add_argument('--procs', type=int, default=3)
    ap.add_argument('--goal', choices=('mismatch', 'unreachable'),
                    default='mismatch')
    ap.add_argument('--depth', type=int, default=12)
    args = ap.parse_args()
    start = World(args.procs)
    seen = {start.key()}
    queue = deque([(start, ())])
    depth = 0
    while queue:
        w, path = queue.popleft()
        if len(path) > depth:
            depth = len(path)
            print('depth %d, %d states' % (depth, len(seen)), file=sys.stderr)
            if depth >= args.depth:
                break
        for op in ops(w):
            n = apply(w, op, args.fixed)
            if n is None or n.key() in seen:
                continue
            seen.add(n.key())
            if broken(n, args.goal):
                print('%d operations: %s' % (len(path) + 1,
                                             ' '.join(map(name, path + (op,)))))
                return
            queue.append((n, path + (op,)))
    print('none within %d operations (%d states%s)' %
          (depth, len(seen), ', all of them' if not queue else ''))


main()
