//! How hash exchanges lay rows out, so results come back in Spark's order.
//!
//! Spark hash-partitions into `spark.sql.shuffle.partitions` (200 by default) partitions by
//! `pmod(hash(keys), 200)`, then adaptive execution coalesces neighbouring partitions, and a
//! later operator sees rows partition by partition. Ember runs fewer physical partitions (one
//! per slot) but keeps Spark's *logical* partitions as ordered buckets inside them: physical
//! partition `p` holds the contiguous range of logical partitions that map to it, and reads
//! them map by map, bucket by bucket, as Spark's reducers fetch blocks. Grouped results and
//! distinct rows therefore come out in the order Spark prints them.

/// Carried in the session config (as an extension) from the driver to the planner and the
/// scheduler.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShuffleLayout {
    /// Spark's partition count for hash exchanges (`spark.sql.shuffle.partitions`).
    pub logical_partitions: usize,
    /// The width the engine plans hash exchanges with; an exchange of another width was
    /// asked for explicitly (`repartition(n, cols)`) and keeps `n` logical partitions.
    pub default_width: usize,
    /// Coalesce small neighbouring partitions before a stage runs
    /// (`spark.sql.adaptive.coalescePartitions.enabled`).
    pub coalesce: bool,
    /// Fewest partitions coalescing aims for (Spark: the default parallelism).
    pub min_partitions: usize,
    /// `spark.sql.adaptive.advisoryPartitionSizeInBytes` (64 MiB).
    pub advisory_bytes: usize,
    /// `spark.sql.adaptive.coalescePartitions.minPartitionSize` (1 MiB).
    pub min_bytes: usize,
}

impl ShuffleLayout {
    /// Spark's layout for `logical` shuffle partitions on `slots` task slots.
    pub fn spark(logical: usize, slots: usize, default_width: usize) -> Self {
        Self {
            logical_partitions: logical,
            default_width,
            coalesce: true,
            min_partitions: slots.max(1),
            advisory_bytes: 64 << 20,
            min_bytes: 1 << 20,
        }
    }

    /// Spark's `coalescePartitions`: contiguous bucket ranges of about the target size, from
    /// the bytes each bucket holds (summed over every shuffle a stage reads).
    pub fn coalesce_ranges(&self, bucket_bytes: &[usize]) -> Vec<Range<usize>> {
        let total: usize = bucket_bytes.iter().sum();
        let target = (total / self.min_partitions.max(1)).min(self.advisory_bytes).max(self.min_bytes).max(1);
        let mut ranges = Vec::new();
        let (mut start, mut size) = (0, 0usize);
        for (i, b) in bucket_bytes.iter().enumerate() {
            if i > start && size + b > target {
                ranges.push(start..i);
                start = i;
                size = *b;
            } else {
                size += b;
            }
        }
        ranges.push(start..bucket_bytes.len());
        ranges
    }

    /// Contiguous ranges of about equal bytes, one per slot (or a multiple of the slots once
    /// each would exceed the advisory size). For jobs whose result is sorted, where partition
    /// boundaries cannot show in the output, an even load beats Spark's exact boundaries: a
    /// third partition on two slots runs alone.
    pub fn balanced_ranges(&self, bucket_bytes: &[usize]) -> Vec<Range<usize>> {
        let total: usize = bucket_bytes.iter().sum();
        let slots = self.min_partitions.max(1);
        if total <= self.min_bytes.saturating_mul(slots) || bucket_bytes.is_empty() {
            return self.coalesce_ranges(bucket_bytes);
        }
        let rounds = total.div_ceil(self.advisory_bytes.saturating_mul(slots).max(1)).max(1);
        let n = slots.saturating_mul(rounds).min(bucket_bytes.len());
        let mut ranges = Vec::with_capacity(n);
        let (mut start, mut acc) = (0, 0usize);
        for (i, b) in bucket_bytes.iter().enumerate() {
            acc += b;
            let k = ranges.len() + 1;
            if k < n && i + 1 < bucket_bytes.len() && acc.saturating_mul(n) >= total.saturating_mul(k) {
                ranges.push(start..i + 1);
                start = i + 1;
            }
        }
        ranges.push(start..bucket_bytes.len());
        ranges
    }
}

use std::ops::Range;

/// The physical partition (of `physical`) that logical partition `logical_index` belongs to.
pub fn physical_of(logical_index: usize, logical: usize, physical: usize) -> usize {
    if logical <= physical {
        return logical_index;
    }
    logical_index * physical / logical
}

/// The logical partitions stored in physical partition `p`, in order.
pub fn logical_range(p: usize, logical: usize, physical: usize) -> std::ops::Range<usize> {
    if logical <= physical {
        return p..(p + 1).min(logical.max(p + 1));
    }
    let start = (p * logical).div_ceil(physical);
    let end = ((p + 1) * logical).div_ceil(physical);
    start..end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_shuffles_coalesce_into_one_partition() {
        let layout = ShuffleLayout::spark(200, 2, 2);
        assert_eq!(layout.coalesce_ranges(&[100; 200]), vec![0..200]);
        let big = vec![1 << 20; 8];
        assert_eq!(layout.coalesce_ranges(&big), vec![0..4, 4..8]);
    }

    #[test]
    fn balanced_ranges_split_evenly_over_the_slots() {
        let layout = ShuffleLayout::spark(200, 2, 2);
        let sizes: Vec<usize> = (0..200).map(|i| if i % 3 == 0 { 3 << 15 } else { 1 << 15 }).collect();
        let ranges = layout.balanced_ranges(&sizes);
        assert_eq!(ranges.len(), 2);
        assert_eq!(ranges[0].start, 0);
        assert_eq!(ranges[1].end, 200);
        assert_eq!(ranges[0].end, ranges[1].start);
        let bytes = |r: &Range<usize>| sizes[r.clone()].iter().sum::<usize>() as f64;
        let (a, b) = (bytes(&ranges[0]), bytes(&ranges[1]));
        assert!((a - b).abs() / (a + b) < 0.05, "{a} vs {b}");
        // Tiny shuffles still gather into one partition.
        assert_eq!(layout.balanced_ranges(&[100; 200]), vec![0..200]);
    }

    #[test]
    fn ranges_cover_every_logical_partition_once() {
        for (logical, physical) in [(200, 2), (200, 3), (7, 7), (200, 200), (10, 4)] {
            let mut seen = Vec::new();
            for p in 0..physical {
                for l in logical_range(p, logical, physical) {
                    assert_eq!(physical_of(l, logical, physical), p);
                    seen.push(l);
                }
            }
            assert_eq!(seen, (0..logical).collect::<Vec<_>>(), "{logical}/{physical}");
        }
    }
}
