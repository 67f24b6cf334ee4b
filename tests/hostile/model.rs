//! Hostile checklists and names: size, look-alikes, forged identity, relaxed API data.
