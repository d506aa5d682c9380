// Command wordfreq counts words in text files and prints the most frequent ones.
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"unicode"
)

// Counter holds word counts and the total number of words seen.
type Counter struct {
	counts    map[string]int
	total     int
	minLength int
	stopWords map[string]bool
}

// NewCounter returns a counter that ignores words shorter than minLength.
func NewCounter(minLength int, stopWords []string) *Counter {
	stop := make(map[string]bool, len(stopWords))
	for _, w := range stopWords {
		stop[strings.ToLower(w)] = true
	}
	return &Counter{counts: make(map[string]int), minLength: minLength, stopWords: stop}
}

// Add splits a line into words and counts each of them.
func (c *Counter) Add(line string) {
	words := strings.FieldsFunc(line, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\''
	})
	for _, word := range words {
		word = strings.ToLower(strings.Trim(word, "'"))
		if len([]rune(word)) < c.minLength || c.stopWords[word] {
			continue
		}
		c.counts[word]++
		c.total++
	}
}

// ReadFrom counts every line of r.
func (c *Counter) ReadFrom(r io.Reader) (int64, error) {
	scanner := bufio.NewScanner(r)
	scanner.Buffer(make([]byte, 64*1024), 1024*1024)
	var read int64
	for scanner.Scan() {
		line := scanner.Text()
		read += int64(len(line)) + 1
		c.Add(line)
	}
	return read, scanner.Err()
}

// Entry is one word and how often it appeared.
type Entry struct {
	Word  string
	Count int
}

// Top returns the n most frequent words, ties broken alphabetically.
func (c *Counter) Top(n int) []Entry {
	entries := make([]Entry, 0, len(c.counts))
	for word, count := range c.counts {
		entries = append(entries, Entry{Word: word, Count: count})
	}
	sort.Slice(entries, func(i, j int) bool {
		if entries[i].Count != entries[j].Count {
			return entries[i].Count > entries[j].Count
		}
		return entries[i].Word < entries[j].Word
	})
	if n > 0 && n < len(entries) {
		entries = entries[:n]
	}
	return entries
}

// Share is the fraction of all counted words that are this word.
func (c *Counter) Share(word string) float64 {
	if c.total == 0 {
		return 0
	}
	return float64(c.counts[strings.ToLower(word)]) / float64(c.total)
}

var errNoInput = errors.New("no input files and standard input is a terminal")

func openInputs(paths []string) ([]io.ReadCloser, error) {
	if len(paths) == 0 {
		info, err := os.Stdin.Stat()
		if err != nil {
			return nil, err
		}
		if info.Mode()&os.ModeCharDevice != 0 {
			return nil, errNoInput
		}
		return []io.ReadCloser{io.NopCloser(os.Stdin)}, nil
	}
	files := make([]io.ReadCloser, 0, len(paths))
	for _, path := range paths {
		f, err := os.Open(path)
		if err != nil {
			for _, opened := range files {
				opened.Close()
			}
			return nil, fmt.Errorf("open %s: %w", path, err)
		}
		files = append(files, f)
	}
	return files, nil
}

func main() {
	top := flag.Int("top", 20, "how many words to print (0 for all)")
	minLength := flag.Int("min", 3, "ignore words shorter than this")
	stop := flag.String("stop", "the,and,for,with,that,this", "comma-separated words to ignore")
	flag.Parse()

	counter := NewCounter(*minLength, strings.Split(*stop, ","))
	inputs, err := openInputs(flag.Args())
	if err != nil {
		fmt.Fprintln(os.Stderr, "wordfreq:", err)
		os.Exit(2)
	}
	for _, input := range inputs {
		if _, err := counter.ReadFrom(input); err != nil {
			fmt.Fprintln(os.Stderr, "wordfreq:", err)
			os.Exit(1)
		}
		input.Close()
	}
	width := 0
	entries := counter.Top(*top)
	for _, e := range entries {
		if len(e.Word) > width {
			width = len(e.Word)
		}
	}
	for _, e := range entries {
		fmt.Printf("%-*s %7d %6.2f%%\n", width, e.Word, e.Count, 100*counter.Share(e.Word))
	}
	fmt.Printf("%d words, %d distinct\n", counter.total, len(counter.counts))
}
