/*
 * libFuzzer target for lib/elf: parse arbitrary bytes as an executable
 * image, once against the default image window (below the user stack) and
 * once against nearly the whole user half. Whenever the parser accepts, every
 * guarantee documented at struct elf_image must hold — segments inside the
 * window and the file, no shared pages, W^X, filesz <= memsz, entry in an
 * executable segment, a sane TLS template — checked independently by
 * tests/unit/elf/elf_invariants.h; a violation aborts. The sanitizers catch
 * any read outside the input and any arithmetic overflow.
 * Seeds: tests/fuzz/corpus/elf/.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "lib/elf/elf.h"
#include "tests/unit/elf/elf_invariants.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct elf_window fuzz_windows[] = {
	{ .lo = 0x400000, .hi = 0x600000 },
	{ .lo = 0x1000, .hi = 0x800000000000 },
};

static void fuzz_one(const uint8_t *data, size_t size, const struct elf_window *win)
{
	struct elf_image img;
	enum elf_err err = elf_parse(data, size, win, &img);
	const char *why;

	if (err > ELF_OK || err <= -ELF_ERR_COUNT)
		abort(); /* not a documented error value */
	if (err != ELF_OK)
		return;
	why = elf_image_violation(&img, size, win);
	if (why != NULL) {
		fprintf(stderr, "elf: accepted image breaks an invariant: %s\n", why);
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	for (size_t i = 0; i < sizeof(fuzz_windows) / sizeof(fuzz_windows[0]); i++)
		fuzz_one(data, size, &fuzz_windows[i]);
	return 0;
}
