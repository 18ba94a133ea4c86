/*
 * A minimal static, freestanding x86_64 program without thread-local
 * storage, linked at 0x400000 by mk/elf.mk for the lib/elf tests to parse
 * (it is never run): the image must come out with no PT_TLS.
 */
static const char greeting[] = "capOS lib/elf test program";
unsigned long data_word = 42;
unsigned char bss_block[4096];

void _start(void);

void _start(void)
{
	volatile unsigned long sink = data_word + (unsigned char)greeting[data_word % 16];

	bss_block[sink % sizeof(bss_block)] = 1;
	for (;;)
		__asm__ volatile("hlt");
}
