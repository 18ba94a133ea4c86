/*
 * echo: reads lines from its StdIO until end of input (Ctrl-D on an empty
 * line) and writes each back; a cancelled line is reported. After a line
 * "secret" the next line is read with hidden echo and only its length is
 * shown (what a password prompt does). Exits with the number of lines
 * echoed.
 */
#include <string.h>

#include "include/capos/limits.h"
#include "user/rt/capos.h"

int main(struct capos_rt *rt)
{
	char line[TERMINAL_LINE_MAX + 1];
	uint32_t len;
	int lines = 0;
	for (;;) {
		int st = capos_stdio_read_line(rt, line, TERMINAL_LINE_MAX, false, &len);
		if (st == 3 || st < 0) /* end of input, or no terminal */
			break;
		if (st == 1) {
			capos_printf(rt, "echo: (cancelled)");
			continue;
		}
		line[len] = 0;
		if (st == 0 && strcmp(line, "secret") == 0) {
			st = capos_stdio_read_line(rt, line, TERMINAL_LINE_MAX, true, &len);
			capos_printf(rt, "echo: a hidden line of %u bytes (status %d)", len, st);
			memset(line, 0, sizeof(line));
			continue;
		}
		capos_printf(rt, "echo: %s", st == 2 ? "(too long)" : line);
		lines++;
	}
	return lines;
}
