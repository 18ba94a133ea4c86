/*
 * lib/fmt — printf-style formatting into a sink. See fmt.h.
 */
#include "lib/fmt/fmt.h"

#include <stdbool.h>
#include <stdint.h>

struct spec {
	bool left; /* '-' */
	bool zero; /* '0' */
	int width;
	int precision; /* -1: none */
	int length;    /* 0 int, 1 long, 2 long long, 3 size_t */
};

struct out {
	fmt_sink sink;
	void *ctx;
	size_t n;
};

static void emit(struct out *o, const char *s, size_t len)
{
	if (len) {
		o->sink(o->ctx, s, len);
		o->n += len;
	}
}

static void pad(struct out *o, char c, int count)
{
	while (count-- > 0)
		emit(o, &c, 1);
}

/* Emit body (with an optional sign/prefix) padded to the spec's width. */
static void emit_field(struct out *o, const struct spec *sp, const char *prefix, const char *body,
		       size_t len)
{
	size_t plen = 0;
	while (prefix[plen])
		plen++;
	int fill = sp->width - (int)(len + plen);

	if (!sp->left && !sp->zero)
		pad(o, ' ', fill);
	emit(o, prefix, plen);
	if (!sp->left && sp->zero)
		pad(o, '0', fill);
	emit(o, body, len);
	if (sp->left)
		pad(o, ' ', fill);
}

static void emit_number(struct out *o, const struct spec *sp, uint64_t v, bool neg, unsigned base,
			bool upper, const char *prefix)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char buf[24];
	size_t i = sizeof(buf);

	do {
		buf[--i] = digits[v % base];
		v /= base;
	} while (v);
	emit_field(o, sp, neg ? "-" : prefix, buf + i, sizeof(buf) - i);
}

static uint64_t arg_unsigned(const struct spec *sp, va_list *ap)
{
	switch (sp->length) {
	case 1:
		return va_arg(*ap, unsigned long);
	case 2:
		return va_arg(*ap, unsigned long long);
	case 3:
		return va_arg(*ap, size_t);
	default:
		return va_arg(*ap, unsigned int);
	}
}

static int64_t arg_signed(const struct spec *sp, va_list *ap)
{
	switch (sp->length) {
	case 1:
		return va_arg(*ap, long);
	case 2:
		return va_arg(*ap, long long);
	case 3:
		return (int64_t)va_arg(*ap, size_t);
	default:
		return va_arg(*ap, int);
	}
}

/* Parse flags, width, precision (digits or '*') and length; returns a
 * pointer to the conversion character. */
static const char *parse_spec(const char *f, struct spec *sp, va_list *ap)
{
	*sp = (struct spec){ .precision = -1 };
	for (;; f++) {
		if (*f == '-')
			sp->left = true;
		else if (*f == '0')
			sp->zero = true;
		else
			break;
	}
	while (*f >= '0' && *f <= '9')
		sp->width = sp->width * 10 + (*f++ - '0');
	if (*f == '.') {
		sp->precision = 0;
		if (*++f == '*') {
			sp->precision = va_arg(*ap, int);
			f++;
		}
		for (; *f >= '0' && *f <= '9'; f++)
			sp->precision = sp->precision * 10 + (*f - '0');
	}
	if (*f == 'z') {
		sp->length = 3;
		f++;
	}
	while (*f == 'l' && sp->length < 2) {
		sp->length++;
		f++;
	}
	return f;
}

static void convert(struct out *o, const struct spec *sp, char c, va_list *ap)
{
	switch (c) {
	case 'd':
	case 'i': {
		int64_t v = arg_signed(sp, ap);
		emit_number(o, sp, v < 0 ? 0 - (uint64_t)v : (uint64_t)v, v < 0, 10, false, "");
		break;
	}
	case 'u':
		emit_number(o, sp, arg_unsigned(sp, ap), false, 10, false, "");
		break;
	case 'x':
	case 'X':
		emit_number(o, sp, arg_unsigned(sp, ap), false, 16, c == 'X', "");
		break;
	case 'p':
		emit_number(o, sp, (uintptr_t)va_arg(*ap, void *), false, 16, false, "0x");
		break;
	case 'c': {
		char ch = (char)va_arg(*ap, int);
		emit_field(o, sp, "", &ch, 1);
		break;
	}
	case 's': {
		const char *s = va_arg(*ap, const char *);
		size_t len = 0;
		if (s == NULL)
			s = "(null)";
		while (s[len] && (sp->precision < 0 || len < (size_t)sp->precision))
			len++;
		struct spec text = *sp;
		text.zero = false;
		emit_field(o, &text, "", s, len);
		break;
	}
	case '%':
		emit(o, "%", 1);
		break;
	default: /* unknown conversion: print it literally */
		emit(o, "%", 1);
		if (c)
			emit(o, &c, 1);
		break;
	}
}

size_t fmt_vformat(fmt_sink sink, void *ctx, const char *f, va_list ap)
{
	struct out o = { sink, ctx, 0 };
	va_list args;
	struct spec sp;

	va_copy(args, ap);
	while (*f) {
		const char *start = f;
		while (*f && *f != '%')
			f++;
		emit(&o, start, (size_t)(f - start));
		if (!*f)
			break;
		f = parse_spec(f + 1, &sp, &args);
		convert(&o, &sp, *f, &args);
		if (*f)
			f++;
	}
	va_end(args);
	return o.n;
}

size_t fmt_format(fmt_sink sink, void *ctx, const char *f, ...)
{
	va_list ap;
	va_start(ap, f);
	size_t n = fmt_vformat(sink, ctx, f, ap);
	va_end(ap);
	return n;
}

struct strbuf {
	char *buf;
	size_t size, used;
};

static void str_sink(void *ctx, const char *s, size_t len)
{
	struct strbuf *b = ctx;
	for (size_t i = 0; i < len; i++, b->used++)
		if (b->size && b->used < b->size - 1)
			b->buf[b->used] = s[i];
}

size_t fmt_vsnprintf(char *buf, size_t size, const char *f, va_list ap)
{
	struct strbuf b = { buf, size, 0 };
	size_t n = fmt_vformat(str_sink, &b, f, ap);
	if (size)
		buf[n < size - 1 ? n : size - 1] = 0;
	return n;
}

size_t fmt_snprintf(char *buf, size_t size, const char *f, ...)
{
	va_list ap;
	va_start(ap, f);
	size_t n = fmt_vsnprintf(buf, size, f, ap);
	va_end(ap);
	return n;
}
