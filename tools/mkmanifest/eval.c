/*
 * tools/mkmanifest: evaluating a constant with `capnp eval -b`. The
 * compiler's standard output is the framed binary message; its standard
 * error goes to a scratch file, and the first line of it becomes the
 * failure message, so that a broken manifest still fails on one line.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tools/mkmanifest/mkmanifest.h"

/* Read all of fd into a growing 8-byte aligned buffer. */
static int read_all(int fd, struct mk_blob *out)
{
	size_t cap = 1 << 16, len = 0;
	uint8_t *buf = malloc(cap);

	if (buf == NULL)
		return -1;
	for (;;) {
		if (len == cap) {
			uint8_t *bigger = realloc(buf, cap *= 2);
			if (bigger == NULL) {
				free(buf);
				return -1;
			}
			buf = bigger;
		}
		ssize_t n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			free(buf);
			return -1;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	out->words = (uint64_t *)buf; /* malloc memory is aligned for uint64_t */
	out->len = len;
	return 0;
}

/* The first non-empty line of what the compiler said, without its newline. */
static void first_line(FILE *f, char *line, size_t size)
{
	line[0] = '\0';
	rewind(f);
	while (fgets(line, (int)size, f) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if (line[0] != '\0')
			return;
	}
	snprintf(line, size, "no message");
}

int mk_eval(const char *file, const char *constant, struct mk_blob *out, struct mk_error *e)
{
	const char *capnp = getenv("CAPNP") ? getenv("CAPNP") : "capnp";
	char *const argv[] = { (char *)capnp, "eval",		"-I.", "-b",
			       (char *)file,  (char *)constant, NULL };
	int pipefd[2], status;
	FILE *errs = tmpfile();

	if (errs == NULL || pipe(pipefd) < 0)
		return mk_fail(e, "capnp eval: %s: cannot set up", strerror(errno));
	pid_t pid = fork();
	if (pid < 0)
		return mk_fail(e, "capnp eval: fork: %s", strerror(errno));
	if (pid == 0) {
		dup2(pipefd[1], STDOUT_FILENO);
		dup2(fileno(errs), STDERR_FILENO);
		close(pipefd[0]);
		close(pipefd[1]);
		execvp(capnp, argv);
		fprintf(stderr, "cannot run %s: %s\n", capnp, strerror(errno));
		_exit(127);
	}
	close(pipefd[1]);
	int rd = read_all(pipefd[0], out);
	close(pipefd[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (rd < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		char line[300];
		first_line(errs, line, sizeof(line));
		fclose(errs);
		if (rd == 0)
			mk_blob_free(out);
		return mk_fail(e, "capnp eval: %s", rd < 0 ? "cannot read its output" : line);
	}
	fclose(errs);
	return 0;
}
