/* demo.h: a realistic demo office for trying cxzy out and for tests. */
#ifndef CXZY_DEMO_H
#define CXZY_DEMO_H

#include "formdef.h"
#include "store.h"

/* Creates a new data directory dir holding a demo office: one 机关党委,
 * seven 党支部, one 直属党小组, four 党小组 and 66 members with varied
 * names (one with the non-BMP character 𠀾).  The content is the same on
 * every run.  Fails if dir already exists and is not empty. */
int demo_create(const char *dir, const struct formset *fs, char **errp);

#endif
