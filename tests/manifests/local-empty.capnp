# tools/mkmanifest test: an operator overlay that sets nothing.
@0x9180d99c0a3d7353;

using import "/schema/capos.capnp".KernelParams;

const local :KernelParams = ();
