/* map.c — a uint64 → pointer hash map (open addressing, linear probing,
 * backward-shift deletion) for timer ids and join tags. Key 0 means empty. */
#include "internal.h"

#include <stdlib.h>

static size_t slot_of(uint64_t key, size_t cap) {
  key ^= key >> 33;             /* fmix64 from MurmurHash3 */
  key *= 0xff51afd7ed558ccdULL;
  key ^= key >> 33;
  return (size_t)key & (cap - 1);
}

void *flx__map_get(const flx__map_t *m, uint64_t key) {
  if (m->cap == 0)
    return NULL;
  for (size_t i = slot_of(key, m->cap);; i = (i + 1) & (m->cap - 1)) {
    if (m->keys[i] == key)
      return m->vals[i];
    if (m->keys[i] == 0)
      return NULL;
  }
}

static void grow(flx__map_t *m) {
  flx__map_t bigger = {0};
  bigger.cap = m->cap ? m->cap * 2 : 16;
  bigger.keys = flx__calloc(bigger.cap, sizeof *bigger.keys);
  bigger.vals = flx__calloc(bigger.cap, sizeof *bigger.vals);
  for (size_t i = 0; i < m->cap; i++)
    if (m->keys[i])
      flx__map_put(&bigger, m->keys[i], m->vals[i]);
  flx__map_free(m);
  *m = bigger;
}

int flx__map_put(flx__map_t *m, uint64_t key, void *val) {
  if (key == 0)
    return FLX_EINVAL;
  if ((m->len + 1) * 4 > m->cap * 3)   /* keep the load under 3/4 */
    grow(m);
  size_t i = slot_of(key, m->cap);
  while (m->keys[i] != 0 && m->keys[i] != key)
    i = (i + 1) & (m->cap - 1);
  if (m->keys[i] == 0)
    m->len++;
  m->keys[i] = key;
  m->vals[i] = val;
  return 0;
}

void *flx__map_del(flx__map_t *m, uint64_t key) {
  if (m->cap == 0)
    return NULL;
  size_t mask = m->cap - 1, i = slot_of(key, m->cap);
  while (m->keys[i] != key) {
    if (m->keys[i] == 0)
      return NULL;
    i = (i + 1) & mask;
  }
  void *val = m->vals[i];
  /* Shift later members of the probe run back so lookups never stop early. */
  for (size_t j = (i + 1) & mask; m->keys[j] != 0; j = (j + 1) & mask) {
    size_t home = slot_of(m->keys[j], m->cap);
    if (((j - home) & mask) >= ((j - i) & mask)) {
      m->keys[i] = m->keys[j];
      m->vals[i] = m->vals[j];
      i = j;
    }
  }
  m->keys[i] = 0;
  m->vals[i] = NULL;
  m->len--;
  return val;
}

void flx__map_free(flx__map_t *m) {
  free(m->keys);
  free(m->vals);
  *m = (flx__map_t){0};
}
