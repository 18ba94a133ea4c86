# A timer boot: init is the timer program (Timer.now, Timer.sleep,
# cap_enter timeouts).
@0xc1a2b3c4d5e6f717;

using import "/schema/capos.capnp".SystemManifest;

const manifest :SystemManifest = (
  schemaVersion = 1,
  binaries = [
    (name = "init", data = embed "/build/user/timer.elf"),
  ],
  initConfig = (
    init = (
      name = "init",
      binary = "init",
      caps = [
        (name = "console", expectedInterfaceId = 0x970e2c0a63e35e77, source = (kernel = console)),
        (name = "timer", expectedInterfaceId = 0xb157b9d7c98102a5, source = (kernel = timer)),
      ],
    ),
  ),
  kernelParams = (motd = "Welcome to capOS."),
);
