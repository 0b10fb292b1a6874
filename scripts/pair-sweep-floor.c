// What one IoU sweep of RS's positive–positive sums costs at its floor on this machine: a C
// program, not part of brl (docs/performance.md, "Eleventh pass", says what it showed).
//
// A sweep visits the P positives by descending IoU target; each visit inserts the positive and
// asks, over the positives inserted so far, the four sums of its window of H_δ (count, Σ (p − x),
// Σ w, Σ w·(p − x) on the ramp, and count and Σ w where H = 1). Two structures:
//
//   tree     RampSumTree's algorithm (Sources/RankingLosses/RampSumTree.swift): blocks of 8
//            positions, per-node sums relative to the node's lowest logit, the ramp and the
//            "H = 1" ranges summed from whole nodes inside them and their ragged ends. Nothing
//            cancels, whatever the logits.
//   fenwick  a Fenwick tree of plain doubles, an insert and two suffix sums a visit, the ramp as
//            their difference: the least work a visit can do, with none of the tree's accuracy
//            (the difference of two suffix sums cancels, and nothing checks by how much).
//
// Data as in brl's detector-like dumps: logits N(0.5, 1.5²), targets uniform in (0, 1], δ = 0.5.
// Prints the minimum over 30 sweeps. A third argument times only some of a tree visit's parts
// (a sum of 1 insert, 2 ramp sums, 4 "H = 1" sums; default 7, all): without the inserts the
// sums read an empty tree, which costs the same walks. Build and run:
//
//   cc -O3 -march=native -o /tmp/pair-sweep-floor scripts/pair-sweep-floor.c -lm
//   /tmp/pair-sweep-floor 30000 tree; /tmp/pair-sweep-floor 30000 fenwick
//   /tmp/pair-sweep-floor 30000 tree 1    # the inserts alone
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct { double count, offset, weight, weightedOffset; } Sums;
typedef struct { double origin, count, offset, weight, weightedOffset; } Node;
typedef struct { double logit, present, weight; } Position;
typedef struct { int position, start, end; double logit, weight; } Visit;

static int P, leaves;
static Node *nodes;
static Position *positions;
static Sums *fenwick;

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

static double normal(void) {
  double u = (rand() + 1.0) / (RAND_MAX + 2.0), v = (rand() + 1.0) / (RAND_MAX + 2.0);
  return sqrt(-2 * log(u)) * cos(2 * M_PI * v);
}

static int ascending(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static const double *sortKey;
static int byKey(const void *a, const void *b) {
  double x = sortKey[*(const int *)a], y = sortKey[*(const int *)b];
  return x < y ? -1 : x > y;
}

// --- tree: RampSumTree's insert and window sums ---
static void treeInsert(int j, double w) {
  double p = positions[j].logit;
  positions[j].present = 1;
  positions[j].weight = w;
  for (int v = leaves + (j >> 3); v >= 1; v >>= 1) {
    double d = p - nodes[v].origin;
    nodes[v].count += 1;
    nodes[v].offset += d;
    nodes[v].weight += w;
    nodes[v].weightedOffset += w * d;
  }
}

// Calls POSITION(j) for the ragged ends and NODE(v) for the whole nodes of lo..<hi.
#define FOR_EACH_PART(lo, hi, POSITION, NODE)                                        \
  do {                                                                               \
    int first = ((lo) + 7) >> 3, end = (hi) >> 3;                                    \
    if ((lo) >= (hi)) break;                                                         \
    if (first >= end) {                                                              \
      for (int j = (lo); j < (hi); j++) { POSITION }                                 \
      break;                                                                         \
    }                                                                                \
    for (int j = (lo); j < (first << 3); j++) { POSITION }                           \
    for (int low = first + leaves, high = end + leaves; low < high;                 \
         low >>= 1, high >>= 1) {                                                    \
      if (low & 1) { int v = low++; NODE }                                           \
      if (high & 1) { int v = --high; NODE }                                         \
    }                                                                                \
    for (int j = end << 3; j < (hi); j++) { POSITION }                               \
  } while (0)

static void treeOnes(int lo, int hi, Sums *s) {
  FOR_EACH_PART(lo, hi, { s->count += positions[j].present; s->weight += positions[j].weight; },
                { s->count += nodes[v].count; s->weight += nodes[v].weight; });
}

static void treeRamp(int lo, int hi, double x, Sums *s) {
  FOR_EACH_PART(
      lo, hi,
      {
        double d = positions[j].logit - x;
        s->count += positions[j].present;
        s->offset += positions[j].present * d;
        s->weight += positions[j].weight;
        s->weightedOffset += positions[j].weight * d;
      },
      {
        double d = nodes[v].origin - x;
        s->count += nodes[v].count;
        s->offset += nodes[v].offset + nodes[v].count * d;
        s->weight += nodes[v].weight;
        s->weightedOffset += nodes[v].weightedOffset + nodes[v].weight * d;
      });
}

// --- fenwick: plain doubles, suffix sums (node k covers reversed positions (k − lowbit, k]) ---
static void fenwickInsert(int j, double level, double w) {
  for (int k = P - j; k <= P; k += k & -k) {
    fenwick[k].count += 1;
    fenwick[k].offset += level;
    fenwick[k].weight += w;
    fenwick[k].weightedOffset += w * level;
  }
}

static Sums fenwickSuffix(int a) {
  Sums s = {0, 0, 0, 0};
  for (int k = P - a; k > 0; k -= k & -k) {
    s.count += fenwick[k].count;
    s.offset += fenwick[k].offset;
    s.weight += fenwick[k].weight;
    s.weightedOffset += fenwick[k].weightedOffset;
  }
  return s;
}

int main(int argc, char **argv) {
  P = argc > 1 ? atoi(argv[1]) : 30000;
  int useTree = !(argc > 2 && strcmp(argv[2], "fenwick") == 0);
  int parts = argc > 3 ? atoi(argv[3]) : 7;
  const double delta = 0.5;
  double *p = malloc(P * sizeof *p), *t = malloc(P * sizeof *t), *out = malloc(2 * P * sizeof *out);
  int *order = malloc(P * sizeof *order);
  Visit *visits = malloc(P * sizeof *visits);
  srand(1);
  for (int i = 0; i < P; i++) {
    p[i] = 0.5 + 1.5 * normal();
    t[i] = (rand() + 1.0) / (RAND_MAX + 1.0);
  }
  qsort(p, P, sizeof *p, ascending);
  for (int i = 0; i < P; i++) order[i] = i;
  sortKey = t;
  qsort(order, P, sizeof *order, byKey);
  // Windows: H = 0 below start, on its ramp in start..<end, 1 from end on.
  int lo = 0, hi = 0;
  int *start = malloc(P * sizeof *start), *end = malloc(P * sizeof *end);
  for (int i = 0; i < P; i++) {
    while (lo < P && p[lo] < p[i] - delta) lo++;
    while (hi < P && p[hi] < p[i] + delta) hi++;
    start[i] = lo;
    end[i] = hi;
  }
  for (int k = 0; k < P; k++) {
    int i = order[k];
    visits[k] = (Visit){i, start[i], end[i], p[i], 1 - t[i]};
  }
  int blocks = (P + 7) / 8;
  for (leaves = 1; leaves < blocks; leaves *= 2) {}
  nodes = malloc(2 * leaves * sizeof *nodes);
  positions = malloc(P * sizeof *positions);
  fenwick = malloc((P + 1) * sizeof *fenwick);
  double best = 1e9, check = 0;
  for (int round = 0; round < 30; round++) {
    memset(nodes, 0, 2 * leaves * sizeof *nodes);
    for (int b = 0; b < blocks; b++) nodes[leaves + b].origin = p[b << 3];
    for (int v = leaves - 1; v >= 1; v--) nodes[v].origin = nodes[2 * v].origin;
    for (int j = 0; j < P; j++) positions[j] = (Position){p[j], 0, 0};
    memset(fenwick, 0, (P + 1) * sizeof *fenwick);
    double t0 = now();
    for (int k = P - 1; k >= 0; k--) {
      Visit v = visits[k];
      Sums ramp = {0, 0, 0, 0}, ones = {0, 0, 0, 0};
      if (useTree) {
        if (parts & 1) treeInsert(v.position, v.weight);
        if (parts & 2) treeRamp(v.start, v.end, v.logit, &ramp);
        if (parts & 4) treeOnes(v.end, P, &ones);
      } else {
        fenwickInsert(v.position, v.logit - p[0], v.weight);
        Sums a = fenwickSuffix(v.start), b = fenwickSuffix(v.end);
        double x = v.logit - p[0];
        ramp.count = a.count - b.count;
        ramp.offset = (a.offset - b.offset) - ramp.count * x;
        ramp.weight = a.weight - b.weight;
        ramp.weightedOffset = (a.weightedOffset - b.weightedOffset) - ramp.weight * x;
        ones = b;
      }
      out[2 * k] = ones.count + (ramp.offset / (2 * delta) + ramp.count / 2);
      out[2 * k + 1] = ones.weight + (ramp.weightedOffset / (2 * delta) + ramp.weight / 2);
    }
    double seconds = now() - t0;
    if (seconds < best) best = seconds;
    check += out[0] + out[2 * P - 1];
  }
  printf("P = %d, %s%s: one sweep %.3f ms (%.1f ns a visit), min of 30; checksum %.6g\n", P,
         useTree ? "tree" : "fenwick",
         useTree && parts != 7 ? (parts == 1 ? " (inserts)" : parts == 2 ? " (ramp sums)" : parts == 4 ? " (H = 1 sums)" : " (some parts)") : "", best * 1e3, best * 1e9 / P, check);
  return 0;
}
