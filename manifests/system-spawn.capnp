# The focused init-owned spawn boot (`make run-spawn`): the kernel starts
# only init, with Console, BootPackage and ProcessSpawner; init reads this
# manifest through BootPackage, validates it, and spawns the children
# below in order, then waits for each and reports its exit.
#
#   hello          Console writeLine, exit 0
#   fairness-a/b   two CPU-bound processes that both make progress
#   timer-flood    the per-process sleep limit refuses that process only
#   timer-smoke    Timer.now monotonic; a 10 ms sleep takes >= 10 ms
#   hostile-spawn  every ProcessSpawner failure, then wait semantics
#   ipc-server     serves Echo on the endpoint it exports
#   ipc-client     imports it (a client facet) and calls it
#   endpoint-roundtrip  its own endpoint: roundtrip, copy/move transfer,
#                  move replay, queue limit, receiver quota
#   ipc-hostile    a server and a client that die mid-call
#
# `huge` (a bss larger than memory) and `not-an-elf` are packaged only for
# hostile-spawn to ask for; no service runs them.
@0xc1a2b3c4d5e6f719;

using import "/schema/capos.capnp".SystemManifest;

const manifest :SystemManifest = (
  schemaVersion = 1,
  binaries = [
    (name = "init", data = embed "/build/user/init.elf"),
    (name = "hello", data = embed "/build/user/hello.elf"),
    (name = "ring-fairness", data = embed "/build/user/ring-fairness.elf"),
    (name = "timer-flood", data = embed "/build/user/timer-flood.elf"),
    (name = "timer-smoke", data = embed "/build/user/timer-smoke.elf"),
    (name = "hostile-spawn", data = embed "/build/user/hostile-spawn.elf"),
    (name = "huge", data = embed "/build/user/huge.elf"),
    (name = "not-an-elf", data = embed "/manifests/system-spawn.capnp"),
    (name = "ipc-server", data = embed "/build/user/ipc-server.elf"),
    (name = "ipc-client", data = embed "/build/user/ipc-client.elf"),
    (name = "endpoint-roundtrip", data = embed "/build/user/endpoint-roundtrip.elf"),
    (name = "ipc-hostile", data = embed "/build/user/ipc-hostile.elf"),
  ],
  initConfig = (
    init = (
      name = "init",
      binary = "init",
      caps = [
        (name = "console", expectedInterfaceId = 0x970e2c0a63e35e77, source = (kernel = console)),
        (name = "boot", expectedInterfaceId = 0xc2b39eafa7c7f39b, source = (kernel = bootPackage)),
        (name = "spawner", expectedInterfaceId = 0xf929832aa855612a, source = (kernel = processSpawner)),
      ],
    ),
    services = [
      (name = "hello", binary = "hello", caps = [
        (name = "console", expectedInterfaceId = 0x970e2c0a63e35e77, source = (kernel = console)),
      ]),
      (name = "fairness-a", binary = "ring-fairness", caps = [
        (name = "console", expectedInterfaceId = 0x970e2c0a63e35e77, source = (kernel = console)),
        (name = "timer", expectedInterfaceId = 0xb157b9d7c98102a5, source = (kernel = timer)),
      ]),
      (name = "fairness-b", binary = "ring-fairness", caps = [
        (name = "console", expectedInterfaceId = 0x970e2c0a63e35e77, source = (kernel = console)),
        (name = "timer", expectedInterfaceId = 0xb157b9d7c98102a5, source = (kernel = timer)),
      ]),
      (name = "timer-flood", binary = "timer-flood", caps = [
        (name = "console", expectedInterfaceId = 0x970e2c0a63e35e77, source = (kernel = console)),
        (name = "timer", expectedInterfaceId = 0xb157b9d7c98102a5, source = (kernel = timer)),
      ]),
      (name = "timer-smoke", binary = "timer-smoke", caps = [
        (name = "console", expectedInterfaceId = 0x970e2c0a63e35e77, source = (kernel = console)),
        (name = "timer", expectedInterfaceId = 0xb157b9d7c98102a5, source = (kernel = timer)),
      ]),
      (name = "hostile-spawn", binary = "hostile-spawn", caps = [
        (name = "console", expectedInterfaceId = 0x970e2c0a63e35e77, source = (kernel = console)),
        (name = "timer", expectedInterfaceId = 0xb157b9d7c98102a5, source = (kernel = timer)),
        (name = "spawner", expectedInterfaceId = 0xf929832aa855612a, source = (kernel = processSpawner)),
      ]),
      (name = "ipc-server", binary = "ipc-server", caps = [
        (name = "console", expectedInterfaceId = 0x970e2c0a63e35e77, source = (kernel = console)),
        (name = "echo", expectedInterfaceId = 0xa57d6bfd25901b83, source = (kernel = endpoint)),
      ], exports = [
        (name = "echo", cap = "echo", interfaceId = 0xd132e3308088d611),
      ]),
      (name = "ipc-client", binary = "ipc-client", caps = [
        (name = "console", expectedInterfaceId = 0x970e2c0a63e35e77, source = (kernel = console)),
        (name = "echo", expectedInterfaceId = 0xd132e3308088d611,
         source = (service = (service = "ipc-server", export = "echo"))),
      ]),
      (name = "endpoint-roundtrip", binary = "endpoint-roundtrip", caps = [
        (name = "console", expectedInterfaceId = 0x970e2c0a63e35e77, source = (kernel = console)),
        (name = "ep", expectedInterfaceId = 0xa57d6bfd25901b83, source = (kernel = endpoint)),
      ]),
      (name = "ipc-hostile", binary = "ipc-hostile", caps = [
        (name = "console", expectedInterfaceId = 0x970e2c0a63e35e77, source = (kernel = console)),
        (name = "spawner", expectedInterfaceId = 0xf929832aa855612a, source = (kernel = processSpawner)),
        (name = "ep", expectedInterfaceId = 0xa57d6bfd25901b83, source = (kernel = endpoint)),
      ]),
    ],
  ),
  kernelParams = (motd = "Welcome to capOS."),
);
