;; FieldScan.scan (alb-fields.ts) over bytes, with SIMD searches: the same field boundaries for
;; the same line, 16 bytes a step instead of one String.indexOf call per field. Compiled to
;; field-scan-wasm.ts by `npm run build:wasm`; alb-fields.ts is the rule, and a test holds the
;; two to the same answers.
;;
;; Memory: the caller's text bytes (ASCII, so byte i is character i) anywhere in [0, $endsAt),
;; and the field ends written as i32 from $endsAt on. A 16-byte load may read up to 15 bytes
;; past a line; matches there are masked off, and the memory keeps that much slack.
(module
  (memory (export "memory") 10)
  (global $endsAt (export "endsAt") i32 (i32.const 589824)) ;; 576 KiB: a 512 KiB read, a piece, slack
  (global $capacity (export "capacity") i32 (i32.const 64))
  (global $quotedMask (export "quotedMask") (mut i32) (i32.const 0))

;; Fields of the line [lineStart, lineEnd): their count, or -(n+1) when field n opens a quote
  ;; it never closes; their ends from $endsAt on (the first $capacity); $quotedMask. The line is
  ;; read 16 bytes at a time into two bit masks (spaces, quotes) that serve every field in them.
  (func (export "scan") (param $lineStart i32) (param $lineEnd i32) (result i32)
    (local $start i32) (local $end i32) (local $count i32) (local $mask i32) (local $quote i32)
    (local $base i32) (local $spaces i32) (local $quotes i32) (local $hits i32) (local $block v128)
    (local.set $start (local.get $lineStart))
    (local.set $base (local.get $lineStart))
    (block $done
      (loop $field
        (br_if $done (i32.gt_s (local.get $start) (local.get $lineEnd)))
        ;; The block that holds the field's first byte.
        (block $inBlock
          (loop $advance
            (br_if $inBlock (i32.lt_s (local.get $start) (i32.add (local.get $base) (i32.const 16))))
            (local.set $base (i32.add (local.get $base) (i32.const 16)))
            (br $advance)))
        (local.set $block (v128.load (local.get $base)))
        (local.set $spaces (i8x16.bitmask (i8x16.eq (local.get $block) (v128.const i8x16 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32))))
        (local.set $quotes (i8x16.bitmask (i8x16.eq (local.get $block) (v128.const i8x16 34 34 34 34 34 34 34 34 34 34 34 34 34 34 34 34))))
        (if (i32.and
              (i32.lt_s (local.get $start) (local.get $lineEnd))
              (i32.eq (i32.load8_u (local.get $start)) (i32.const 34)))
          (then
            ;; A quoted field ends at the first quote after its opening one that is followed by a
            ;; space or by the line's end.
            (local.set $hits (i32.and (local.get $quotes)
              (i32.shl (i32.const -1) (i32.sub (i32.add (local.get $start) (i32.const 1)) (local.get $base)))))
            (block $closed
              (loop $candidate
                (block $found
                  (loop $nextBlock
                    (br_if $found (local.get $hits))
                    (local.set $base (i32.add (local.get $base) (i32.const 16)))
                    (br_if $done (i32.ge_s (local.get $base) (local.get $lineEnd)))
                    (local.set $hits (i8x16.bitmask (i8x16.eq (v128.load (local.get $base))
                      (v128.const i8x16 34 34 34 34 34 34 34 34 34 34 34 34 34 34 34 34))))
                    (br $nextBlock)))
                (local.set $quote (i32.add (local.get $base) (i32.ctz (local.get $hits))))
                (br_if $done (i32.ge_s (local.get $quote) (local.get $lineEnd)))
                (br_if $closed (i32.ge_s (i32.add (local.get $quote) (i32.const 1)) (local.get $lineEnd)))
                (br_if $closed (i32.eq (i32.load8_u (i32.add (local.get $quote) (i32.const 1))) (i32.const 32)))
                (local.set $hits (i32.and (local.get $hits) (i32.sub (local.get $hits) (i32.const 1))))
                (br $candidate)))
            (local.set $end (i32.add (local.get $quote) (i32.const 1)))
            (if (i32.lt_s (local.get $count) (i32.const 31))
              (then (local.set $mask (i32.or (local.get $mask) (i32.shl (i32.const 1) (local.get $count)))))))
          (else
            ;; Any other field ends at the next space, or at the line's end.
            (local.set $hits (i32.and (local.get $spaces)
              (i32.shl (i32.const -1) (i32.sub (local.get $start) (local.get $base)))))
            (block $found
              (loop $nextBlock
                (br_if $found (local.get $hits))
                (local.set $base (i32.add (local.get $base) (i32.const 16)))
                (br_if $found (i32.ge_s (local.get $base) (local.get $lineEnd)))
                (local.set $hits (i8x16.bitmask (i8x16.eq (v128.load (local.get $base))
                  (v128.const i8x16 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32))))
                (br $nextBlock)))
            (local.set $end (select
              (i32.add (local.get $base) (i32.ctz (local.get $hits)))
              (local.get $lineEnd)
              (local.get $hits)))
            (if (i32.gt_s (local.get $end) (local.get $lineEnd)) (then (local.set $end (local.get $lineEnd))))))
        (if (i32.lt_s (local.get $count) (global.get $capacity))
          (then
            (i32.store
              (i32.add (global.get $endsAt) (i32.shl (local.get $count) (i32.const 2)))
              (local.get $end))))
        (local.set $count (i32.add (local.get $count) (i32.const 1)))
        (local.set $start (i32.add (local.get $end) (i32.const 1)))
        (br $field)))
    (global.set $quotedMask (local.get $mask))
    (select
      (i32.sub (i32.const 0) (i32.add (local.get $count) (i32.const 1)))
      (local.get $count)
      (i32.le_s (local.get $start) (local.get $lineEnd))))
)
