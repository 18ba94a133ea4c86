/*
 * A minimal static, freestanding x86_64 program with thread-local storage,
 * linked at 0x400000 by mk/elf.mk for the lib/elf tests to parse (it is
 * never run). Text, read-only data, data, bss, .tdata and .tbss make the
 * linker emit every segment kind a capOS program has, PT_TLS included.
 * tls_magic is the only initialized thread-local, so the TLS template's
 * file bytes are exactly its value (test_elf_binaries.c checks them).
 */
__thread unsigned long tls_magic = 0x1122334455667788ul;
__thread unsigned char tls_zero[64];
static const char greeting[] = "capOS lib/elf test program";
unsigned long data_word = 42;
unsigned char bss_block[8192];

void _start(void);

void _start(void)
{
	volatile unsigned long sink = data_word + (unsigned char)greeting[data_word % 16];

	sink += tls_magic + tls_zero[sink % sizeof(tls_zero)];
	bss_block[sink % sizeof(bss_block)] = 1;
	for (;;)
		__asm__ volatile("hlt");
}
