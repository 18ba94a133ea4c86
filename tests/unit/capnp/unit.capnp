# Test schema for lib/capnp's unit tests (the generated-code conformance
# suite has its own, larger schema in tests/capnp/).
@0xd5a1c3e2f4b60718;

struct Inner {
  a @0 :UInt32;
  name @1 :Text;
}

struct Outer {
  flag @0 :Bool;
  i8 @1 :Int8;
  u16 @2 :UInt16;
  i32 @3 :Int32;
  u64 @4 :UInt64;
  text @5 :Text;
  data @6 :Data;
  inner @7 :Inner;
  inners @8 :List(Inner);
  nums @9 :List(UInt32);
  bools @10 :List(Bool);
  texts @11 :List(Text);
  nested @12 :List(List(UInt16));
}

const sample :Outer = (
  flag = true, i8 = -5, u16 = 65535, i32 = -123456, u64 = 0x0123456789abcdef,
  text = "hello", data = 0x"00ff10",
  inner = (a = 7, name = "in"),
  inners = [(a = 1, name = "x"), (a = 2), (a = 3, name = "zz")],
  nums = [10, 20, 30],
  bools = [true, false, true, true, false, false, false, false, true],
  texts = ["a", "", "ccc"],
  nested = [[1, 2], [], [3]]
);
