# The conformance schema: every Cap'n Proto field type, non-zero defaults,
# unions, groups, nested types, interfaces, AnyPointer, and an old/new pair
# of structs for schema evolution. The suite encodes with the reference
# `capnp` tool and decodes with the generated C (and the other way round),
# and compares capnp-c-dump with `capnp convert --short`.
@0xe3b0c44298fc1c14;

enum Color {
  red @0;
  green @1;
  blueGreen @2;
}

struct Point {
  x @0 :Int32;
  y @1 :Int32;
  label @2 :Text;
}

struct AllTypes {
  voidField @0 :Void;
  boolField @1 :Bool;
  int8Field @2 :Int8;
  int16Field @3 :Int16;
  int32Field @4 :Int32;
  int64Field @5 :Int64;
  uint8Field @6 :UInt8;
  uint16Field @7 :UInt16;
  uint32Field @8 :UInt32;
  uint64Field @9 :UInt64;
  float32Field @10 :Float32;
  float64Field @11 :Float64;
  textField @12 :Text;
  dataField @13 :Data;
  structField @14 :Point;
  enumField @15 :Color;
  anyField @16 :AnyPointer;

  voidList @17 :List(Void);
  boolList @18 :List(Bool);
  int8List @19 :List(Int8);
  int16List @20 :List(Int16);
  int32List @21 :List(Int32);
  int64List @22 :List(Int64);
  uint8List @23 :List(UInt8);
  uint16List @24 :List(UInt16);
  uint32List @25 :List(UInt32);
  uint64List @26 :List(UInt64);
  float32List @27 :List(Float32);
  float64List @28 :List(Float64);
  textList @29 :List(Text);
  dataList @30 :List(Data);
  structList @31 :List(Point);
  enumList @32 :List(Color);
  textListList @33 :List(List(Text));
  int32ListList @34 :List(List(Int32));
}

struct Defaults {
  boolField @0 :Bool = true;
  int8Field @1 :Int8 = -123;
  int16Field @2 :Int16 = -12345;
  int32Field @3 :Int32 = -12345678;
  int64Field @4 :Int64 = -123456789012345;
  uint8Field @5 :UInt8 = 234;
  uint16Field @6 :UInt16 = 45678;
  uint32Field @7 :UInt32 = 3456789012;
  uint64Field @8 :UInt64 = 12345678901234567890;
  float32Field @9 :Float32 = 1234.5;
  float64Field @10 :Float64 = -123e45;
  textField @11 :Text = "foo";
  dataField @12 :Data = 0x"62617200ff";
  structField @13 :Point = (x = 7, y = -8, label = "dflt");
  enumField @14 :Color = blueGreen;
  int32List @15 :List(Int32) = [1, 2, 3];
  textList @16 :List(Text) = ["a", "bc"];
  structList @17 :List(Point) = [(x = 1), (y = 2, label = "two")];
  boolList @18 :List(Bool) = [true, false, true];
}

struct Unions {
  # An unnamed union mixing void, primitive and pointer members and a group.
  union {
    none @0 :Void;
    count @1 :UInt32;
    name @2 :Text;
    point @3 :Point;
    pair :group {
      left @4 :Int16;
      right @5 :Text;
    }
  }
  # A named union beside ordinary fields.
  before @6 :UInt8;
  shape :union {
    circle @7 :Float64;
    square @8 :Int64;
    polygon @9 :List(Point);
  }
  after @10 :Text;
  # Nested groups.
  outer :group {
    a @11 :UInt32 = 5;
    inner :group {
      b @12 :Bool;
      c @13 :Text;
      choice :union {
        yes @14 :Void;
        no @15 :Text;
      }
    }
  }
}

struct Nesting {
  struct Leaf {
    value @0 :UInt64;
  }
  enum Kind {
    small @0;
    large @1;
  }
  leaf @0 :Leaf;
  kind @1 :Kind;
  child @2 :Nesting;
  leaves @3 :List(Leaf);
}

# Schema evolution: New is Old with fields appended; each reads the other.
struct Old {
  id @0 :UInt32;
  name @1 :Text;
}

struct New {
  id @0 :UInt32;
  name @1 :Text;
  extra @2 :UInt64 = 99;
  tags @3 :List(Text);
  flag @4 :Bool = true;
}

interface Calculator {
  add @0 (a :Int32, b :Int32) -> (sum :Int32);
  describe @1 (point :Point) -> (text :Text, color :Color);
  reset @2 () -> ();
}

interface Marker {}

const answer :UInt32 = 42;
const greeting :Text = "hello, capOS";
const origin :Point = (x = 0, y = 0, label = "origin");
