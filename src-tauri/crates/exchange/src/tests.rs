use super::*;
use proptest::prelude::*;

fn origin() -> Origin {
    Origin {
        kind: Kind::Decisions,
        created_at: "2026-11-26T08:00:00Z".into(),
        origin: "profile r1 / 一团".into(),
    }
}

fn key() -> FileKey {
    FileKey::from_bytes([7u8; 32])
}

fn kdf() -> Kdf {
    Kdf::standard([1u8; 16])
}

fn blob(data: &[u8]) -> Record {
    Record::Blob {
        sha256: sha256_hex(data),
        data: data.to_vec(),
    }
}

fn signer() -> Signer {
    Signer::from_seed(&[5u8; 32]).unwrap()
}

fn sealer(records: &[Record]) -> Sealer<Vec<u8>> {
    let mut s = Sealer::with_key(Vec::new(), origin(), kdf(), &key(), [9u8; 7]).unwrap();
    for r in records {
        s.record(r).unwrap();
    }
    s
}

fn write(records: &[Record]) -> Vec<u8> {
    sealer(records).finish(&signer()).unwrap().0
}

fn read(bytes: &[u8]) -> Result<Vec<Record>, ExchangeError> {
    let mut o = Opener::with_key(bytes, &key())?;
    let mut out = Vec::new();
    while let Some(r) = o.next_record()? {
        out.push(r);
    }
    Ok(out)
}

fn sample() -> Vec<Record> {
    let big: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    vec![
        Record::Manifest(br#"{"kind":"decisions"}"#.to_vec()),
        Record::Item(br#"{"key":"a"}"#.to_vec()),
        blob(&big),
        Record::Item(Vec::new()),
    ]
}

#[test]
fn records_come_back_as_written_across_segments() {
    let records = sample();
    let bytes = write(&records);
    assert!(bytes.len() > 3 * SEGMENT_SIZE as usize);
    assert_eq!(read(&bytes).unwrap(), records);
}

#[test]
fn a_payload_of_exactly_whole_segments_still_ends() {
    // Manifest framing (5) + body so that the plaintext before the end record fills a segment.
    let body = vec![b'x'; SEGMENT_SIZE as usize - 5 - 5];
    let records = vec![Record::Manifest(body)];
    assert_eq!(read(&write(&records)).unwrap(), records);
}

#[test]
fn every_changed_byte_is_refused() {
    let records = vec![
        Record::Manifest(b"{}".to_vec()),
        Record::Item(b"{\"a\":1}".to_vec()),
    ];
    let bytes = write(&records);
    for i in 0..bytes.len() {
        for bit in [0x01u8, 0x80] {
            let mut t = bytes.clone();
            t[i] ^= bit;
            assert!(
                read(&t).is_err(),
                "byte {i} bit {bit:#x} changed, yet accepted"
            );
        }
    }
}

#[test]
fn a_changed_byte_in_a_late_segment_is_refused() {
    let bytes = write(&sample());
    let mut t = bytes.clone();
    let at = bytes.len() - 100;
    t[at] ^= 0x20;
    assert!(matches!(read(&t), Err(ExchangeError::Tampered { .. })));
}

#[test]
fn truncation_and_appended_bytes_are_refused() {
    let bytes = write(&sample());
    let seg = SEGMENT_SIZE as usize + 16;
    for cut in [1, 16, 17, seg, bytes.len() - seg, bytes.len() - 1] {
        let t = &bytes[..bytes.len().saturating_sub(cut)];
        assert!(read(t).is_err(), "cut {cut} accepted");
    }
    let mut longer = bytes.clone();
    longer.push(0);
    assert!(read(&longer).is_err());
}

#[test]
fn a_wrong_key_is_told_apart_from_tampering() {
    let bytes = write(&sample());
    let wrong = FileKey::from_bytes([8u8; 32]);
    assert!(matches!(
        Opener::with_key(&bytes[..], &wrong),
        Err(ExchangeError::WrongPassphrase)
    ));
}

#[test]
fn not_an_exchange_file() {
    assert!(matches!(
        read(b"PK\x03\x04 a zip"),
        Err(ExchangeError::NotExchangeFile)
    ));
    assert!(matches!(read(b""), Err(ExchangeError::NotExchangeFile)));
}

#[test]
fn passphrase_round_trip_and_wrong_passphrase() {
    let mut s =
        Sealer::with_passphrase(Vec::new(), origin(), "团场审核口令2026", [3; 16], [4; 7]).unwrap();
    s.record(&Record::Manifest(b"{}".to_vec())).unwrap();
    let bytes = s.finish(&signer()).unwrap().0;
    let mut o = Opener::with_passphrase(&bytes[..], "团场审核口令2026").unwrap();
    assert_eq!(o.header().kind, Kind::Decisions);
    assert_eq!(o.verify_to_end().unwrap(), 3, "manifest, signature, end");
    assert_eq!(o.signer(), Some(signer().public_key()));
    assert!(matches!(
        Opener::with_passphrase(&bytes[..], "团场审核口令2025"),
        Err(ExchangeError::WrongPassphrase)
    ));
    assert!(matches!(
        Sealer::with_passphrase(Vec::new(), origin(), "short", [3; 16], [4; 7]),
        Err(ExchangeError::WeakPassphrase)
    ));
}

#[test]
fn the_maker_is_known_only_at_the_end_and_an_unsigned_file_never_ends() {
    let records = sample();
    let bytes = write(&records);
    let mut o = Opener::with_key(&bytes[..], &key()).unwrap();
    while o.next_record().unwrap().is_some() {
        assert_eq!(o.signer(), None, "not before the end");
    }
    assert_eq!(o.signer(), Some(signer().public_key()));
    // Another key signs as well as ours: the reader says which, the caller decides.
    let other = Signer::from_seed(&[6u8; 32]).unwrap();
    let theirs = sealer(&records).finish(&other).unwrap().0;
    let mut o = Opener::with_key(&theirs[..], &key()).unwrap();
    o.verify_to_end().unwrap();
    assert_eq!(o.signer(), Some(other.public_key()));
    assert_ne!(other.public_key(), signer().public_key());
    // Sealed with the right key but never signed: refused at the end, so nothing applies.
    let unsigned = sealer(&records).finish_unsigned().unwrap().0;
    assert!(matches!(read(&unsigned), Err(ExchangeError::Unsigned)));
}

#[test]
fn a_signature_over_other_records_or_one_followed_by_more_is_refused() {
    // Plaintext made by hand (with the right passphrase key): a signature that covers nothing
    // of what precedes it, and records after a valid signature.
    let manifest = Record::Manifest(b"m".to_vec());
    let mut s = sealer(std::slice::from_ref(&manifest));
    let mut forged = vec![4u8];
    forged.extend_from_slice(&96u32.to_le_bytes());
    forged.extend_from_slice(&signer().public_key().0);
    forged.extend_from_slice(&[0u8; 64]);
    forged.extend_from_slice(&[0xff, 0, 0, 0, 0]);
    s.raw_for_fuzzing(&forged).unwrap();
    let bytes = s.finish_raw_for_fuzzing().unwrap();
    assert!(matches!(read(&bytes), Err(ExchangeError::BadSignature)));

    // A valid signature, then one more record before the end.
    let mut s = sealer(&[manifest]);
    let sig = signer().sign(&s.digest_for_tests());
    let mut after = vec![4u8];
    after.extend_from_slice(&96u32.to_le_bytes());
    after.extend_from_slice(&signer().public_key().0);
    after.extend_from_slice(&sig);
    after.extend_from_slice(&[2, 1, 0, 0, 0, b'x', 0xff, 0, 0, 0, 0]);
    s.raw_for_fuzzing(&after).unwrap();
    let bytes = s.finish_raw_for_fuzzing().unwrap();
    match read(&bytes) {
        Err(ExchangeError::BadRecord(m)) => assert!(m.contains("after the signature"), "{m}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_format_1_file_is_refused_as_unsigned() {
    let bytes = write(&sample());
    let (mut header, _) = read_header(&mut &bytes[..]).unwrap();
    header.format = 1;
    assert!(matches!(header.check(), Err(ExchangeError::Unsigned)));
}

#[test]
fn hostile_kdf_parameters_are_refused_before_deriving() {
    let mut k = kdf();
    k.m_kib = 4 * 1024 * 1024;
    assert!(k.check().is_err());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn any_records_round_trip(items in proptest::collection::vec(
        proptest::collection::vec(any::<u8>(), 0..3000), 0..40)) {
        let mut records = vec![Record::Manifest(b"m".to_vec())];
        for (i, it) in items.iter().enumerate() {
            records.push(if i % 3 == 0 { blob(it) } else { Record::Item(it.clone()) });
        }
        prop_assert_eq!(read(&write(&records)).unwrap(), records);
    }
}
