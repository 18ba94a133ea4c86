# A hostile boot: init names a binary the manifest does not carry.
# Built with `mkmanifest --no-validate` (evaluated only, not checked: see
# MANIFESTS_UNCHECKED in mk/kernel.mk), so that the kernel gets to refuse it.
#
# No userspace exists yet, so init's binary is, for now, a placeholder
# payload that the kernel validates but does not run; the processes issue
# replaces it with the real init ELF. The kernel checks the manifest at its
# own boundary and then halts cleanly, having nothing to run.
@0xc1a2b3c4d5e6f70a;

using import "/schema/capos.capnp".SystemManifest;

const manifest :SystemManifest = (
  schemaVersion = 1,
  binaries = [
    (name = "init", data = embed "/build/user/hello.elf"),
  ],
  initConfig = (
    init = (
      name = "init",
      binary = "no-such-binary",
      caps = [
        (name = "console", expectedInterfaceId = 0x970e2c0a63e35e77, source = (kernel = console)),
      ],
    ),
  ),
  kernelParams = (motd = "Welcome to capOS."),
);
