/**
 * Golden cases for the whole post-processing pipeline (stop rules included): a document with the
 * cursor at `█`, what the model sent, and what the user sees (`null`: nothing is shown). Read them
 * as what happens in the editor; add one when a rule changes.
 */
export interface GoldenCase {
  name: string;
  language: string;
  document: string;
  raw: string;
  expected: string | null;
  /** Characters after the cursor the suggestion replaces (default 0). */
  replace?: number;
}

export const GOLDEN_CASES: GoldenCase[] = [
  // ---- Python
  {
    name: 'py: body after def',
    language: 'python',
    document: 'def add(a, b):\n    █\n',
    raw: 'return a + b\n',
    expected: 'return a + b',
  },
  {
    name: 'py: block stops at dedent',
    language: 'python',
    document: 'def f(x):\n    █\n',
    raw: 'y = x * 2\n    return y\n\nprint(f(2))',
    expected: 'y = x * 2\n    return y',
  },
  {
    name: 'py: elif/else continue the block',
    language: 'python',
    document: 'for i in range(9):\n    if i % 2 == 0:\n        █',
    raw: 'print(i)\n    elif i % 3 == 0:\n        print("three")\n    else:\n        print("odd")\nprint("done")',
    expected: 'print(i)\n    elif i % 3 == 0:\n        print("three")\n    else:\n        print("odd")',
  },
  {
    name: 'py: blank line after a complete statement ends the block',
    language: 'python',
    document: 'class A:\n    def f(self):\n        █',
    raw: 'return 1\n\n    def g(self):\n        return 2',
    expected: 'return 1',
  },
  {
    name: 'py: mid-line stays one line',
    language: 'python',
    document: 'x = compute(█)\n',
    raw: 'a, b)\ny = 2',
    expected: 'a, b)',
    replace: 1,
  },
  {
    name: 'py: drops a completion equal to the next line',
    language: 'python',
    document: 'def f():\n    █\n    return total\n',
    raw: 'return total',
    expected: null,
  },
  {
    name: 'py: repeated previous line is dropped',
    language: 'python',
    document: 'items.append(first_value)\n█',
    raw: 'items.append(first_value)',
    expected: null,
  },
  {
    name: 'py: multi-line string runs to its closing quotes',
    language: 'python',
    document: 'doc = """█\nprint(doc)\n',
    raw: 'First line.\nSecond line.\n"""\nprint(1)',
    expected: 'First line.\nSecond line.\n"""',
  },
  {
    name: 'py: after a typed space the leading space goes',
    language: 'python',
    document: 'total = █',
    raw: ' sum(values)',
    expected: 'sum(values)',
  },
  {
    name: 'py: tab-indented document gets tabs',
    language: 'python',
    document: 'def f(x):\n\tif x:\n\t\treturn 1\n\t█',
    raw: 'for i in range(x):\n        print(i)\n    return 0',
    expected: 'for i in range(x):\n\t\tprint(i)\n\treturn 0',
  },
  {
    name: 'py: degenerate repetition is dropped',
    language: 'python',
    document: 'value = █',
    raw: '1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1',
    expected: null,
  },
  {
    name: 'py: code fence around the answer is removed',
    language: 'python',
    document: 'def f():\n    █',
    raw: '```python\nreturn 42\n```',
    expected: 'return 42',
  },

  // ---- TypeScript
  {
    name: 'ts: closing quote and paren are replaced, not doubled',
    language: 'typescript',
    document: 'console.log("Obj: █")\n',
    raw: '", obj);',
    expected: '", obj);',
    replace: 2,
  },
  {
    name: 'ts: extra closer that closes nothing is cut',
    language: 'typescript',
    document: 'const n = █',
    raw: 'parseInt(text, 10));',
    expected: 'parseInt(text, 10)',
  },
  {
    name: 'ts: block after opener includes its closing brace',
    language: 'typescript',
    document: 'function f(a: number) {\n  █',
    raw: 'if (a > 0) {\n    return a;\n  }\n  return -a;\n}\n\nf(1);',
    expected: 'if (a > 0) {\n    return a;\n  }\n  return -a;\n}',
  },
  {
    name: 'ts: closing brace already below the cursor is not repeated',
    language: 'typescript',
    document: 'function f(a: number) {\n  █\n}\n',
    raw: 'return a * 2;\n}',
    expected: 'return a * 2;',
  },
  {
    name: 'ts: an `else` closing line already below is not repeated',
    language: 'typescript',
    document: 'if (ok) {\n  █\n} else {\n  fail();\n}\n',
    raw: 'run();\n}',
    expected: 'run();',
  },
  {
    name: 'ts: a closer the document still needs is kept',
    language: 'typescript',
    document: 'function outer() {\n  if (ok) {\n    █\n}\n',
    raw: 'run();\n  }',
    expected: 'run();\n  }',
  },
  {
    name: 'ts: the function signature grows into a block',
    language: 'typescript',
    document: 'function █',
    raw: 'square(n: number): number {\n  return n * n;\n}\nsquare(2);',
    expected: 'square(n: number): number {\n  return n * n;\n}',
  },
  {
    name: 'ts: end of a plain line stays one line',
    language: 'typescript',
    document: 'const total = █',
    raw: 'a + b;\nconst other = 2;',
    expected: 'a + b;',
  },
  {
    name: 'ts: a line that repeats the next line ends the block',
    language: 'typescript',
    document: 'function f() {\n  █\n  return result;\n}',
    raw: 'const result = compute();\n  return result;\n}',
    expected: 'const result = compute();',
  },
  {
    name: 'ts: completion equal to the rest of the line is dropped',
    language: 'typescript',
    document: 'foo(█bar);\n',
    raw: 'bar);',
    expected: null,
  },
  {
    name: 'ts: arrow function body after opener before `})`',
    language: 'typescript',
    document: "emitter.on('data', (d) => {█})\n",
    raw: '\n  handle(d);\n});',
    expected: '\n  handle(d);\n});',
    replace: 2,
  },
  {
    name: 'ts: multi-line call argument list',
    language: 'typescript',
    document: 'const result = █',
    raw: 'compute(\n  first,\n  second,\n);\n\nlog(result);',
    expected: 'compute(\n  first,\n  second,\n);',
  },
  {
    name: 'ts: mid-line completion keeps a space before following text',
    language: 'typescript',
    document: 'const s = sum(█b);',
    raw: 'a, ',
    expected: 'a, ',
  },
  {
    name: 'ts: trailing whitespace at the end of a line goes',
    language: 'typescript',
    document: 'let foo = new █',
    raw: 'Foo();   ',
    expected: 'Foo();',
  },
  {
    name: 'ts: JSX self-closing tag end is replaced',
    language: 'typescriptreact',
    document: '<App █/>\n',
    raw: 'name={name} />',
    expected: 'name={name} />',
    replace: 2,
  },
  {
    name: 'ts: zero-width characters are removed',
    language: 'typescript',
    document: 'const x = █',
    raw: '\u200b42;',
    expected: '42;',
  },
  {
    name: 'ts: same line repeated over and over keeps one',
    language: 'typescript',
    document: 'function f() {\n  █',
    raw: 'console.log("x is");\n  console.log("x is");\n  console.log("x is");',
    expected: 'console.log("x is");',
  },

  // ---- Go
  {
    name: 'go: body after func opener',
    language: 'go',
    document: 'package main\n\nfunc add(a, b int) int {\n\t█\n}\n',
    raw: 'return a + b\n}',
    expected: 'return a + b',
  },
  {
    name: 'go: spaces from the model become tabs',
    language: 'go',
    document: 'package main\n\nfunc main() {\n\tfor i := 0; i < 3; i++ {\n\t\tfmt.Println(i)\n\t}\n\t█\n}\n',
    raw: 'if done {\n        return\n    }\n}',
    expected: 'if done {\n\t\treturn\n\t}',
  },
  {
    name: 'go: struct field stays one line at end of line',
    language: 'go',
    document: 'type User struct {\n\tName string\n\tAge  █\n}\n',
    raw: 'int\n\tEmail string\n}',
    expected: 'int',
  },
  {
    name: 'go: if err block',
    language: 'go',
    document: 'func f() error {\n\terr := run()\n\t█\n\treturn nil\n}\n',
    raw: 'if err != nil {\n\t\treturn err\n\t}\n\treturn nil\n}',
    expected: 'if err != nil {\n\t\treturn err\n\t}',
  },
  {
    name: 'go: string literal closing is replaced',
    language: 'go',
    document: 'fmt.Println("hello, █")\n',
    raw: 'world")',
    expected: 'world")',
    replace: 2,
  },
  {
    name: 'go: mid-word is one line',
    language: 'go',
    document: 'func main() {\n\tfmt.Pri█\n}\n',
    raw: 'ntln("hi")\n\tos.Exit(0)',
    expected: 'ntln("hi")',
  },

  // ---- Rust
  {
    name: 'rs: match arms on an empty line',
    language: 'rust',
    document: 'fn d(c: u16) -> &str {\n    match c {\n        200 => "OK",\n        █\n    }\n}\n',
    raw: '404 => "Not Found",\n        _ => "Other",\n    }\n}',
    expected: '404 => "Not Found",\n        _ => "Other",',
  },
  {
    name: 'rs: lifetimes are not quotes',
    language: 'rust',
    document: "fn first<'a>(s: &'a str) -> &'a str {\n    █\n}\n",
    raw: "s.split(' ').next().unwrap_or(s)\n}",
    expected: "s.split(' ').next().unwrap_or(s)",
  },
  {
    name: 'rs: impl method grows into a block',
    language: 'rust',
    document: 'impl Point {\n    fn █\n}\n',
    raw: 'norm(&self) -> f64 {\n        (self.x * self.x + self.y * self.y).sqrt()\n    }\n}',
    expected: 'norm(&self) -> f64 {\n        (self.x * self.x + self.y * self.y).sqrt()\n    }',
  },
  {
    name: 'rs: macro call closing replaced',
    language: 'rust',
    document: 'println!("{}", █);\n',
    raw: 'value);',
    expected: 'value);',
    replace: 2,
  },
  {
    name: 'rs: stray closer',
    language: 'rust',
    document: 'let v = █',
    raw: 'vec![1, 2, 3]];',
    expected: 'vec![1, 2, 3]',
  },

  // ---- Java
  {
    name: 'java: method body',
    language: 'java',
    document: 'class A {\n    int twice(int x) {\n        █\n    }\n}\n',
    raw: 'return x * 2;\n    }\n}',
    expected: 'return x * 2;',
  },
  {
    name: 'java: else branch after `} else {`',
    language: 'java',
    document: 'class A {\n  void f(int i) {\n    if (i > 0) {\n      pos();\n    } else {\n      █\n    }\n  }\n}',
    raw: 'neg();\n    }\n  }\n}',
    expected: 'neg();',
  },
  {
    name: 'java: Allman brace on its own line grows into a block',
    language: 'java',
    document: 'class A {\n    public A(int █\n}\n',
    raw: 'size)\n    {\n        this.size = size;\n    }',
    expected: 'size)\n    {\n        this.size = size;\n    }',
  },
  {
    name: 'java: block closes past scope is cut',
    language: 'java',
    document: 'class A {\n    void f() {\n        █\n    }\n}\n',
    raw: 'run();\n    }\n}\nclass B {}',
    expected: 'run();',
  },
  {
    name: 'java: try/catch continues at the opener level',
    language: 'java',
    document: 'void f() {\n    try {\n        █\n    }\n}\n',
    raw: 'load();\n    } catch (IOException e) {\n        log(e);\n    }\n}',
    expected: 'load();\n    } catch (IOException e) {\n        log(e);\n    }',
  },

  // ---- C
  {
    name: 'c: function body',
    language: 'c',
    document: 'int add(int a, int b) {\n    █\n}\n',
    raw: 'return a + b;\n}\n\nint main(void) {',
    expected: 'return a + b;',
  },
  {
    name: 'c: for loop grows into a block',
    language: 'c',
    document: 'void f(int n) {\n    for (int i = 0; i < n; i++) █\n}\n',
    raw: '{\n        printf("%d", i);\n    }\n}',
    expected: '{\n        printf("%d", i);\n    }',
  },
  {
    name: 'c: missing closing brace at end of function',
    language: 'c',
    document: 'double area(double r) {\n    return 3.14 * r * r;█\n\nint main(void) { return 0; }\n',
    raw: '\n}',
    expected: '\n}',
  },
  {
    name: 'c: struct initializer mid-line',
    language: 'c',
    document: 'Point p = {1, █};\n',
    raw: '2};',
    expected: '2};',
    replace: 2,
  },
  {
    name: 'c: block comment brackets are ignored',
    language: 'c',
    document: 'int f(void) {\n    █\n}\n',
    raw: '/* ) } */ return 0;\n}',
    expected: '/* ) } */ return 0;',
  },

  // ---- Plain text
  {
    name: 'text: sentence continues',
    language: 'plaintext',
    document: 'The quick brown █',
    raw: 'fox jumps over the lazy dog.',
    expected: 'fox jumps over the lazy dog.',
  },
  {
    name: 'text: apostrophes are not quotes',
    language: 'plaintext',
    document: "It's █",
    raw: "a dog's life.",
    expected: "a dog's life.",
  },
  {
    name: 'text: empty completion is dropped',
    language: 'plaintext',
    document: 'Hello █',
    raw: '   \n  ',
    expected: null,
  },
  {
    name: 'text: long run of one character is dropped',
    language: 'plaintext',
    document: 'Result: █',
    raw: '0000000000000000000000000000000',
    expected: null,
  },
  {
    name: 'text: second line of a runaway repetition goes',
    language: 'plaintext',
    document: 'let big = █',
    raw: '1000000\nlet bigger = 10000000000000000000000000000000000000',
    expected: '1000000',
  },
  {
    name: 'text: the next line itself is dropped',
    language: 'plaintext',
    document: 'line one█\nline two\n',
    raw: 'line two',
    expected: null,
  },
  {
    name: 'text: markdown fences are content in markdown',
    language: 'markdown',
    document: 'Example:\n\n█',
    raw: '```js\nlet a = 1;\n```',
    expected: '```js\nlet a = 1;\n```',
  },

  // ---- CRLF documents
  {
    name: 'crlf: block keeps CRLF',
    language: 'typescript',
    document: 'function f() {\r\n  █\r\n}\r\n',
    raw: 'const a = 1;\r\n  return a;\r\n}',
    expected: 'const a = 1;\r\n  return a;',
  },
  {
    name: 'crlf: LF model output becomes CRLF',
    language: 'python',
    document: 'def f():\r\n    █\r\n',
    raw: 'x = 1\n    return x',
    expected: 'x = 1\r\n    return x',
  },
  {
    name: 'crlf: single line is unchanged',
    language: 'c',
    document: 'int x = █;\r\nint y = 2;\r\n',
    raw: '42',
    expected: '42',
  },
  {
    name: 'crlf: java closer already below is not repeated',
    language: 'java',
    document: 'class A {\r\n    void f() {\r\n        █\r\n    }\r\n}\r\n',
    raw: 'g();\r\n    }',
    expected: 'g();',
  },

  // ---- Tab-indented documents
  {
    name: 'tabs: nested block in tabs',
    language: 'typescript',
    document: 'class A {\n\tf() {\n\t\t█\n\t}\n}\n',
    raw: 'if (x) {\n\t\t\ty();\n\t\t}\n\t}\n}',
    expected: 'if (x) {\n\t\t\ty();\n\t\t}',
  },
  {
    name: 'tabs: model tabs kept in a tab document',
    language: 'go',
    document: 'func f() {\n\t█\n}\n',
    raw: 'a := 1\n\tb := 2\n}',
    expected: 'a := 1\n\tb := 2',
  },
  {
    name: 'tabs: tabs from the model become spaces in a space document',
    language: 'python',
    document: 'def f():\n    x = 1\n    █\n',
    raw: 'if x:\n\t\treturn x',
    expected: 'if x:\n        return x',
  },
  {
    name: 'tabs: leading indentation already typed is not repeated',
    language: 'c',
    document: 'int f(void) {\n\t█\n}\n',
    raw: '\n\treturn 0;\n}',
    expected: 'return 0;',
  },
];
