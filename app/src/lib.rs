pub fn placeholder_for_cargo_resolution() {}
