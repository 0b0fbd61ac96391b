//! The `nabla` binary is linked statically on Linux with glibc when a static
//! libc is installed (`tools/linker.sh`, build.rs): it must then have no
//! program interpreter, i.e. no dynamic loader runs at its start (~0.3 ms of
//! every `nabla check`, docs/performance.md "Start-up").

#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[test]
fn the_binary_has_no_dynamic_loader_where_a_static_libc_exists() {
    let static_libc = std::process::Command::new("cc")
        .arg("-print-file-name=libc.a")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .is_some_and(|p| std::path::Path::new(p.trim()).is_file());
    if !static_libc || std::env::var("NABLA_LINK_DYNAMIC").as_deref() == Ok("1") {
        eprintln!("no libc.a (or NABLA_LINK_DYNAMIC=1): the binary is dynamic by design");
        return;
    }
    let elf = std::fs::read(env!("CARGO_BIN_EXE_nabla")).expect("the binary is readable");
    assert_eq!(&elf[..4], b"\x7fELF", "an ELF file");
    let u16_at = |o: usize| u16::from_le_bytes([elf[o], elf[o + 1]]) as usize;
    let u64_at = |o: usize| u64::from_le_bytes(elf[o..o + 8].try_into().unwrap()) as usize;
    // ELF64: program header table offset, entry size and count.
    let (phoff, phentsize, phnum) = (u64_at(0x20), u16_at(0x36), u16_at(0x38));
    const PT_INTERP: u32 = 3;
    let has_interp = (0..phnum).any(|i| {
        let o = phoff + i * phentsize;
        u32::from_le_bytes(elf[o..o + 4].try_into().unwrap()) == PT_INTERP
    });
    assert!(
        !has_interp,
        "target/…/nabla asks for a dynamic loader: the static link (tools/linker.sh) did not happen"
    );
}
