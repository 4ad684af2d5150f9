import PythonSource
import Testing

/// PEP 263 declarations as CPython's tokenizer reads them.
struct PythonSourceEncodingTests {
    @Test(arguments: [
        ("# -*- coding: latin-1 -*-\n", "latin-1"),
        ("#!/usr/bin/env python\n# vim: set fileencoding=ISO_8859_15 :\n", "iso-8859-15"),
        ("\n# coding=cp1252\nx = 1\n", "cp1252"),
        // The lazy `.*?` tries a later `coding` when the first is followed by no name.
        ("# coding: , coding: Latin_1\n", "latin-1"),
        ("    # coding: koi8-r\r\n", "koi8-r"),
    ])
    func declared(_ source: String, _ expected: String) {
        #expect(PythonSourceEncoding.declared(in: Array(source.utf8)) == expected)
    }

    @Test(arguments: [
        "x = 1  # coding: latin-1\n",  // not a comment line
        "import os\n# coding: latin-1\n",  // the second line counts only after a blank or comment
        "\n\n# coding: latin-1\n",  // third line
        "# encoding latin-1\n",  // no `:` or `=`
        "",
    ])
    func notDeclared(_ source: String) {
        #expect(PythonSourceEncoding.declared(in: Array(source.utf8)) == nil)
    }

    @Test func legacyEncodingsAllowNonUTF8Bytes() {
        for name in ["latin-1", "iso-8859-15", "iso8859-2", "cp1252", "windows-1251", "koi8-r", "mac-roman", "shift-jis", "euc-jp", "gbk", "big5"] {
            #expect(PythonSourceEncoding.allowsNonUTF8Bytes(name), "\(name)")
        }
        for name in ["utf-8", "utf8", "utf-8-sig", "ascii", "us-ascii", "klingon", "cp", "iso-8859-x"] {
            #expect(!PythonSourceEncoding.allowsNonUTF8Bytes(name), "\(name)")
        }
    }
}
