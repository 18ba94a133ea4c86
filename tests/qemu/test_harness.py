"""Self-tests of tools/qemu-test's pure parts: the scenario parser and its
error messages, and the QEMU command line it builds. Prints TAP."""

import importlib.machinery
import importlib.util
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
loader = importlib.machinery.SourceFileLoader(
    "qemu_test", os.path.join(HERE, "..", "..", "tools", "qemu-test"))
spec = importlib.util.spec_from_loader("qemu_test", loader)
qt = importlib.util.module_from_spec(spec)
loader.exec_module(qt)


class ParseTests(unittest.TestCase):
    def test_full_scenario(self):
        sc = qt.parse("# c\nboot iso\naccel tcg\nmemory 512M\ntimeout 9\n"
                      "forbid com1 panic\nexpect com1 /a+b/\nsend com2 hello there\n"
                      "expect com2 ok\nexit failure\n", "x")
        self.assertEqual((sc.boot, sc.accel, sc.memory, sc.exit), ("iso", "tcg", "512M", "failure"))
        self.assertEqual(len(sc.steps), 3)
        self.assertTrue(sc.steps[0][2][0].search("xaab"))
        self.assertEqual(sc.steps[1], ("send", "com2", b"hello there\n", 9.0))
        self.assertEqual(sc.forbid[0][0], "com1")

    def test_send_escapes(self):
        sc = qt.parse("send com2 a\\x03b\nsendraw com2 \\x04\nexit clean\n")
        self.assertEqual(sc.steps[0][2], b"a\x03b\n")
        self.assertEqual(sc.steps[1][2], b"\x04")

    def test_contains_is_order_free_and_not_a_step(self):
        sc = qt.parse("contains com1 /b+/\nexpect com1 a\nexit clean\n")
        self.assertEqual(len(sc.steps), 1)
        port, pattern, text = sc.contains[0]
        self.assertEqual((port, text), ("com1", "/b+/"))
        self.assertTrue(pattern.search("abb"))

    def test_literal_patterns_are_escaped(self):
        sc = qt.parse("expect com1 a.b (c)\nexit clean\n")
        pattern = sc.steps[0][2][0]
        self.assertTrue(pattern.search("x a.b (c)"))
        self.assertFalse(pattern.search("axb c"))

    def test_modules(self):
        self.assertEqual(qt.parse("modules none\nexit clean\n").modules, [])
        self.assertEqual(qt.parse("modules a b\nexit clean\n").modules, ["a", "b"])
        self.assertEqual(qt.parse("exit clean\n").modules, ["system"])

    def check_error(self, text, needle):
        with self.assertRaises(qt.ScenarioError) as ctx:
            qt.parse(text, "bad")
        self.assertIn(needle, str(ctx.exception))

    def test_errors(self):
        self.check_error("boot floppy\nexit clean\n", "bad:1: boot must be")
        self.check_error("expect com3 x\nexit clean\n", "needs a port")
        self.check_error("expect com1\nexit clean\n", "needs text")
        self.check_error("send com1 x\nexit clean\n", "only com2 takes input")
        self.check_error("exit sideways\n", "exit must be")
        self.check_error("boot direct\n", "no 'exit' line")
        self.check_error("reboot\nexit clean\n", "unknown directive 'reboot'")
        self.check_error("timeout soon\nexit clean\n", "timeout needs seconds")
        self.check_error("accel xen\nexit clean\n", "accel must be")


class CommandTests(unittest.TestCase):
    def test_direct_command(self):
        sc = qt.parse("modules system corrupt\nexit clean\n")
        cmd = qt.qemu_command(sc, "tcg", "/tmp/c1")
        self.assertIn("-kernel", cmd)
        self.assertIn("/usr/share/qemu/qboot.rom", cmd)
        self.assertIn("build/manifest-system.bin,build/manifest-corrupt.bin", cmd)
        self.assertIn("max", cmd)
        self.assertIn("file:/tmp/c1", cmd)

    def test_iso_command(self):
        cmd = qt.qemu_command(qt.parse("boot iso\nexit clean\n"), "kvm", "/tmp/c1")
        self.assertIn("-cdrom", cmd)
        self.assertNotIn("-kernel", cmd)
        self.assertIn("-enable-kvm", cmd)


class Tap(unittest.TextTestResult):
    def __init__(self, *a, **k):
        super().__init__(*a, **k)
        self.n = 0

    def addSuccess(self, test):
        super().addSuccess(test)
        self.n += 1
        print("ok %d - %s" % (self.n, test.id()))

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self.n += 1
        print("not ok %d - %s" % (self.n, test.id()))

    addError = addFailure


if __name__ == "__main__":
    suite = unittest.defaultTestLoader.loadTestsFromModule(sys.modules[__name__])
    result = unittest.TextTestRunner(stream=open(os.devnull, "w"), resultclass=Tap).run(suite)
    print("1..%d" % result.n)
    for _, trace in result.failures + result.errors:
        print("\n".join("# " + line for line in trace.splitlines()))
    sys.exit(0 if result.wasSuccessful() else 1)
