//! The text of `kll_sketch_to_string_*`: Java's `KllSketch.toString()` summary, field for field.
//! What DataSketches' Rust library does not expose (the number of levels, whether level 0 is
//! sorted) is read from the sketch's compact image, whose layout both libraries share.

use datasketches::kll::KllSketch;

use super::kll::Item;

/// Items per level a compaction keeps at least (DataSketches' `m`, which Spark leaves at 8).
const M: u64 = 8;
/// Bytes of a full preamble (a sketch of two or more items).
const FULL_PREAMBLE_BYTES: u64 = 20;

/// Java's summary of a sketch.
pub(super) fn summary<T: Item>(sketch: &KllSketch<T::Value>) -> String {
    let image = sketch.serialize();
    // A full image keeps the level count at byte 18; empty and one-item images have one level.
    let full = image.first() == Some(&5);
    let levels = if full { u64::from(image.get(18).copied().unwrap_or(1)) } else { 1 };
    const LEVEL_ZERO_SORTED: u8 = 2;
    let sorted = image.get(3).is_some_and(|flags| flags & LEVEL_ZERO_SORTED != 0);
    let k = u64::from(sketch.k());
    let capacity: u64 = (0..levels).map(|height| level_capacity(k, levels - height - 1)).sum();
    let retained = sketch.num_retained() as u64;
    let item_bytes = <T::Value as datasketches::kll::KllValue>::MIN_SERIALIZED_SIZE as u64;
    let updatable = FULL_PREAMBLE_BYTES + (levels + 1) * 4 + 2 * item_bytes + capacity * item_bytes;
    let (min, max) = match (sketch.min_item(), sketch.max_item()) {
        (Some(min), Some(max)) => (T::java_text(min), T::java_text(max)),
        _ => ("NaN".to_string(), "NaN".to_string()),
    };
    let rows: [(&str, String); 18] = [
        ("K", k.to_string()),
        ("Dynamic min K", sketch.min_k().to_string()),
        ("M", M.to_string()),
        ("N", sketch.n().to_string()),
        ("Epsilon", format!("{:.3}%", sketch.normalized_rank_error() * 100.0)),
        ("Epsilon PMF", format!("{:.3}%", sketch.normalized_pmf_error() * 100.0)),
        ("Empty", sketch.is_empty().to_string()),
        ("Estimation Mode", sketch.is_estimation_mode().to_string()),
        ("Levels", levels.to_string()),
        ("Level 0 Sorted", sorted.to_string()),
        ("Capacity Items", capacity.to_string()),
        ("Retained Items", retained.to_string()),
        ("Free Space", capacity.saturating_sub(retained).to_string()),
        ("ReadOnly", "false".to_string()),
        ("Updatable Storage Bytes", updatable.to_string()),
        ("Compact Storage Bytes", image.len().to_string()),
        ("Min Item", min),
        ("Max Item", max),
    ];
    let mut text = format!("\n### Kll{} Summary:\n", T::JAVA_CLASS);
    for (name, value) in rows {
        text.push_str(&format!("   {name:<23}: {value}\n"));
    }
    text.push_str("### End sketch summary\n");
    text
}

/// The capacity of a level `depth` levels below the top: `k · (2/3)^depth`, rounded, at
/// least `m` (KLL's geometric capacities).
fn level_capacity(k: u64, depth: u64) -> u64 {
    // Halving the depth keeps 3^depth and the shifted k inside 64 bits.
    fn scaled(k: u64, depth: u64) -> u64 {
        let twice = (k << 1) << depth;
        ((twice / 3u64.pow(depth as u32)) + 1) >> 1
    }
    let capped = if depth <= 30 { scaled(k, depth) } else { scaled(scaled(k, depth / 2), depth - depth / 2) };
    capped.max(M)
}

#[cfg(test)]
mod tests {
    use super::level_capacity;

    #[test]
    fn capacities_shrink_by_two_thirds() {
        // Java's capacities of a three-level sketch of k = 200: 89 + 133 + 200.
        assert_eq!([2, 1, 0].map(|d| level_capacity(200, d)), [89, 133, 200]);
        assert_eq!(level_capacity(8, 10), 8);
    }
}
