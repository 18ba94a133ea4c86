/*
 * Boot information: parsed once from whichever loader ran, then read by
 * the memory and manifest code. The early page tables map the first 4 GiB
 * of physical memory at the HHDM, and the loaders place their information
 * and modules there; anything outside is refused as unreadable.
 */
#include "kernel/boot/boot.h"

#include "include/capos/abi.h"
#include "kernel/klog.h"

#define EARLY_HHDM_LIMIT (4ULL << 30)

struct bootinfo boot_info;

void *phys_to_virt(uint64_t phys)
{
	return (void *)(CAPOS_HHDM_BASE + phys);
}

static const void *early_map(void *ctx, uint64_t phys, uint64_t len)
{
	(void)ctx;
	if (phys > EARLY_HHDM_LIMIT || len > EARLY_HHDM_LIMIT - phys)
		return NULL;
	return phys_to_virt(phys);
}

void boot_info_init(uint32_t magic, uint64_t info_phys)
{
	int err = bootinfo_parse(magic, info_phys, early_map, NULL, &boot_info);
	if (err)
		kernel_halt_failure("boot: unusable boot information: %s", bootinfo_strerror(err));

	uint64_t usable = 0;
	for (uint32_t i = 0; i < boot_info.nregions; i++)
		if (boot_info.regions[i].type == BOOTINFO_USABLE)
			usable += boot_info.regions[i].len;
	kprintf("boot: multiboot%d loader \"%s\", %u memory regions, %lu KiB usable, %u module%s\n",
		boot_info.loader, boot_info.loader_name, boot_info.nregions, usable / 1024,
		boot_info.nmodules, boot_info.nmodules == 1 ? "" : "s");
}

void boot_manifest(const uint8_t **bytes, size_t *len)
{
	if (boot_info.nmodules != 1)
		kernel_halt_failure("boot: expected exactly 1 module (the manifest), got %u",
				    boot_info.nmodules);
	const struct bootinfo_module *m = &boot_info.modules[0];
	if (m->end <= m->start || m->end > EARLY_HHDM_LIMIT)
		kernel_halt_failure("boot: manifest module has an impossible range");
	*bytes = phys_to_virt(m->start);
	*len = m->end - m->start;
}
