//! A fixed-capacity ring buffer that overwrites its oldest element when full.

use std::fmt;
use std::iter::FromIterator;

#[derive(Clone)]
pub struct RingBuffer<T> {
    slots: Vec<Option<T>>,
    head: usize,
    len: usize,
}

#[derive(Debug, PartialEq, Eq)]
pub enum RingError {
    ZeroCapacity,
    Empty,
}

impl fmt::Display for RingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RingError::ZeroCapacity => write!(f, "a ring buffer needs a capacity of at least one"),
            RingError::Empty => write!(f, "the ring buffer is empty"),
        }
    }
}

impl std::error::Error for RingError {}

impl<T> RingBuffer<T> {
    pub fn with_capacity(capacity: usize) -> Result<Self, RingError> {
        if capacity == 0 {
            return Err(RingError::ZeroCapacity);
        }
        let mut slots = Vec::with_capacity(capacity);
        slots.resize_with(capacity, || None);
        Ok(RingBuffer { slots, head: 0, len: 0 })
    }

    pub fn capacity(&self) -> usize {
        self.slots.len()
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn is_full(&self) -> bool {
        self.len == self.capacity()
    }

    /// Appends a value; when full, the oldest value is dropped and returned.
    pub fn push(&mut self, value: T) -> Option<T> {
        let tail = (self.head + self.len) % self.capacity();
        let evicted = self.slots[tail].replace(value);
        if self.is_full() {
            self.head = (self.head + 1) % self.capacity();
        } else {
            self.len += 1;
        }
        evicted
    }

    /// Removes and returns the oldest value.
    pub fn pop(&mut self) -> Result<T, RingError> {
        if self.is_empty() {
            return Err(RingError::Empty);
        }
        let value = self.slots[self.head].take().expect("occupied slot");
        self.head = (self.head + 1) % self.capacity();
        self.len -= 1;
        Ok(value)
    }

    pub fn peek(&self) -> Option<&T> {
        if self.is_empty() {
            None
        } else {
            self.slots[self.head].as_ref()
        }
    }

    pub fn get(&self, index: usize) -> Option<&T> {
        if index >= self.len {
            return None;
        }
        self.slots[(self.head + index) % self.capacity()].as_ref()
    }

    pub fn clear(&mut self) {
        for slot in self.slots.iter_mut() {
            *slot = None;
        }
        self.head = 0;
        self.len = 0;
    }

    pub fn iter(&self) -> Iter<'_, T> {
        Iter { ring: self, index: 0 }
    }
}

pub struct Iter<'a, T> {
    ring: &'a RingBuffer<T>,
    index: usize,
}

impl<'a, T> Iterator for Iter<'a, T> {
    type Item = &'a T;

    fn next(&mut self) -> Option<Self::Item> {
        let item = self.ring.get(self.index)?;
        self.index += 1;
        Some(item)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.ring.len() - self.index;
        (left, Some(left))
    }
}

impl<T: fmt::Debug> fmt::Debug for RingBuffer<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<T> FromIterator<T> for RingBuffer<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        let items: Vec<T> = iter.into_iter().collect();
        let mut ring = RingBuffer::with_capacity(items.len().max(1)).expect("capacity is at least one");
        for item in items {
            ring.push(item);
        }
        ring
    }
}

/// Moving average over the last `window` samples, built on the ring buffer.
pub struct MovingAverage {
    samples: RingBuffer<f64>,
    sum: f64,
}

impl MovingAverage {
    pub fn new(window: usize) -> Result<Self, RingError> {
        Ok(MovingAverage { samples: RingBuffer::with_capacity(window)?, sum: 0.0 })
    }

    pub fn add(&mut self, sample: f64) -> f64 {
        if let Some(old) = self.samples.push(sample) {
            self.sum -= old;
        }
        self.sum += sample;
        self.sum / self.samples.len() as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overwrites_the_oldest_value_when_full() {
        let mut ring = RingBuffer::with_capacity(3).unwrap();
        for n in 1..=5 {
            ring.push(n);
        }
        assert_eq!(ring.iter().copied().collect::<Vec<_>>(), vec![3, 4, 5]);
        assert_eq!(ring.pop(), Ok(3));
        assert_eq!(ring.len(), 2);
    }

    #[test]
    fn moving_average_forgets_old_samples() {
        let mut average = MovingAverage::new(2).unwrap();
        average.add(10.0);
        average.add(20.0);
        assert_eq!(average.add(40.0), 30.0);
    }
}
