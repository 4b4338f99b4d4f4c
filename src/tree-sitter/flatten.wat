;; flatten: one pass over a tree-sitter tree, inside WebAssembly, writing every visible node in
;; preorder as a fixed-size record; JavaScript then walks the records (src/tree-sitter/flat-cursor.ts)
;; instead of chasing the subtree structs itself.
;;
;; It is tree-sitter's own cursor (lib/tree_cursor.c: goto_first_child, goto_next_sibling, goto_parent,
;; current_field_id) ported onto lib/subtree.h's structs (wasm32, ABI 14/15) and run to the end in one
;; call: the same nodes, in the same order, with the same types, flags, fields and positions. Each
;; frame keeps its parent's child iterator, so a step to the next sibling continues where the parent
;; left off. The language tables come from src/tree-sitter/language-tables.ts. It imports web-tree-sitter's own memory and
;; only reads the tree; it writes only the frame stack and the records the caller allocated.
;;
;; Record (8 i32 words, see R in flat-cursor.ts):
;;   0 bits 0-3 visible, extra, named, missing; bits 4-15 the field id (0: none); bits 16-31 the public type id
;;   1 start byte   2 start row   3 start column (bytes)   4 address of the Subtree slot   5 alias symbol
;;   6 the record after this node's subtree (its last descendant + 1)   7 end byte
;; Frame (16 words): 0 slot  1 bytes  2 rows  3 cols  4 structural index  5 alias  6 kind
;;   7..11 child iterator (index, structural index, bytes, rows, cols)  12 record of this frame
;;   (or of its nearest visible ancestor when hidden)  13 the production id of its children (0: a leaf)
;; Tables (words): 0 public symbol map (u16[])  1 named flags (u8[])  2 alias sequences (u16[])
;;   3 max alias length  4 field ids by [production * stride + structural index] (u16[])  5 stride
;;
;; $leaveOut (0: none) is a u8 table by public type id: visible anonymous leaves of a type marked 1 get
;; no record (never MISSING ones): the records are the tree without them, positions and fields unchanged.
;;
;; Returns the number of records, -1 when the frames do not fit in stackCap. Records past outCap
;; are not written but counted: a count above outCap tells the caller how much room to make before
;; it calls again. Past $stop nodes it gives up and returns $stop + 1 (a tree the caller walks otherwise).
(module
  (import "env" "memory" (memory 0))

  ;; ts_tree_cursor_current_field_id for the frame on top (index $top)
  (func $field (param $stk i32) (param $top i32) (param $tab i32) (result i32)
    (local $i i32) (local $fb i32) (local $kind i32) (local $s i32) (local $id i32) (local $stride i32)
    (local.set $stride (i32.load offset=20 (local.get $tab)))
    (local.set $i (local.get $top))
    (block $done
      (loop $up
        (br_if $done (i32.le_s (local.get $i) (i32.const 0)))
        (local.set $fb (i32.add (local.get $stk) (i32.shl (local.get $i) (i32.const 6))))
        (local.set $kind (i32.load offset=24 (local.get $fb)))
        (br_if $done (i32.and (i32.ne (local.get $i) (local.get $top)) (i32.and (local.get $kind) (i32.const 1))))
        (br_if $done (i32.and (local.get $kind) (i32.const 2)))
        (local.set $s (i32.load offset=16 (local.get $fb)))
        (if (i32.lt_u (local.get $s) (local.get $stride))
          (then
            (local.set $id
              (i32.load16_u
                (i32.add
                  (i32.load offset=16 (local.get $tab))
                  (i32.shl
                    (i32.add
                      (i32.mul
                        (i32.load offset=52 (i32.sub (local.get $fb) (i32.const 64)))
                        (local.get $stride))
                      (local.get $s))
                    (i32.const 1)))))
            (br_if $done (local.get $id))))
        (local.set $i (i32.sub (local.get $i) (i32.const 1)))
        (br $up)))
    (local.get $id))

  ;; writes record $n for the frame at $fb (nothing past the capacity: the walk only counts on)
  (func $record (param $out i32) (param $outCap i32) (param $n i32) (param $fb i32) (param $field i32) (param $size i32)
    (local $r i32) (local $kind i32)
    (if (i32.ge_u (local.get $n) (local.get $outCap)) (then (return)))
    (local.set $r (i32.add (local.get $out) (i32.mul (local.get $n) (i32.const 32))))
    (local.set $kind (i32.load offset=24 (local.get $fb)))
    (i32.store offset=0 (local.get $r)
      (i32.or (i32.or (i32.and (local.get $kind) (i32.const 15)) (i32.shl (local.get $field) (i32.const 4)))
        (i32.shl (i32.shr_u (local.get $kind) (i32.const 8)) (i32.const 16))))
    (i32.store offset=4 (local.get $r) (i32.load offset=4 (local.get $fb)))
    (i32.store offset=8 (local.get $r) (i32.load offset=8 (local.get $fb)))
    (i32.store offset=12 (local.get $r) (i32.load offset=12 (local.get $fb)))
    (i32.store offset=16 (local.get $r) (i32.load (local.get $fb)))
    (i32.store offset=20 (local.get $r) (i32.load offset=20 (local.get $fb)))
    (i32.store offset=24 (local.get $r) (i32.const 0))
    (i32.store offset=28 (local.get $r) (i32.add (i32.load offset=4 (local.get $fb)) (local.get $size))))

  (func (export "flatten") (param $tree i32) (param $tab i32) (param $out i32) (param $outCap i32)
                           (param $stk i32) (param $stkCap i32) (param $stop i32) (param $leaveOut i32) (result i32)
    (local $n i32) (local $depth i32) (local $fb i32) (local $lo i32) (local $p i32) (local $fl i32)
    (local $count i32) (local $i i32) (local $production i32) (local $aliasBase i32) (local $first i32)
    (local $structural i32) (local $bytes i32) (local $row i32) (local $col i32) (local $found i32)
    (local $c i32) (local $clo i32) (local $q i32) (local $visible i32) (local $extra i32) (local $marks i32)
    (local $symbol i32) (local $visibleChildren i32) (local $sizeB i32) (local $sizeR i32) (local $sizeC i32)
    (local $alias i32) (local $childStructural i32) (local $d i32) (local $padR i32)
    (local $pub i32) (local $named i32) (local $aliases i32) (local $maxAlias i32) (local $childProduction i32)
    (local $left i32)
    (local.set $pub (i32.load offset=0 (local.get $tab)))
    (local.set $named (i32.load offset=4 (local.get $tab)))
    (local.set $aliases (i32.load offset=8 (local.get $tab)))
    (local.set $maxAlias (i32.load offset=12 (local.get $tab)))
    (if (i32.lt_s (local.get $stkCap) (i32.const 2)) (then (return (i32.const -1))))

    ;; the root: its slot is the tree's first field, its start is its padding
    (local.set $fb (local.get $stk))
    (i32.store offset=0 (local.get $fb) (local.get $tree))
    (local.set $lo (i32.load (local.get $tree)))
    (if (i32.and (local.get $lo) (i32.const 1))
      (then
        (local.set $bytes (i32.load8_u offset=6 (local.get $tree)))
        (local.set $row (i32.and (i32.load8_u offset=5 (local.get $tree)) (i32.const 15)))
        (local.set $col (i32.load8_u offset=4 (local.get $tree)))
        (local.set $fl (i32.load8_u (local.get $tree)))
        (i32.store offset=24 (local.get $fb)
          (i32.or (i32.or (i32.const 1) (i32.and (local.get $fl) (i32.const 4)))
            (i32.or (i32.and (i32.shr_u (local.get $fl) (i32.const 2)) (i32.const 8))
              (i32.shl (i32.load16_u (i32.add (local.get $pub) (i32.shl (i32.load8_u offset=1 (local.get $tree)) (i32.const 1))))
                (i32.const 8))))))
      (else
        (local.set $p (local.get $lo))
        (local.set $bytes (i32.load offset=4 (local.get $p)))
        (local.set $row (i32.load offset=8 (local.get $p)))
        (local.set $col (i32.load offset=12 (local.get $p)))
        (local.set $fl (i32.load16_u offset=44 (local.get $p)))
        (i32.store offset=24 (local.get $fb)
          (i32.or (i32.or (i32.const 1) (i32.and (i32.shl (local.get $fl) (i32.const 1)) (i32.const 4)))
            (i32.or (i32.and (i32.shr_u (local.get $fl) (i32.const 6)) (i32.const 8))
              (i32.shl (i32.load16_u (i32.add (local.get $pub) (i32.shl (i32.load16_u offset=40 (local.get $p)) (i32.const 1))))
                (i32.const 8)))))))
    (i32.store offset=4 (local.get $fb) (local.get $bytes))
    (i32.store offset=8 (local.get $fb) (local.get $row))
    (i32.store offset=12 (local.get $fb) (local.get $col))
    (i32.store offset=16 (local.get $fb) (i32.const 0))
    (i32.store offset=20 (local.get $fb) (i32.const 0))
    (i32.store offset=28 (local.get $fb) (i32.const 0))
    (i32.store offset=32 (local.get $fb) (i32.const 0))
    (i32.store offset=36 (local.get $fb) (local.get $bytes))
    (i32.store offset=40 (local.get $fb) (local.get $row))
    (i32.store offset=44 (local.get $fb) (local.get $col))
    (i32.store offset=48 (local.get $fb) (i32.const 0))
    (i32.store offset=52 (local.get $fb)
      (if (result i32) (i32.and (local.get $lo) (i32.const 1))
        (then (i32.const 0))
        (else (select (i32.load16_u offset=66 (local.get $lo)) (i32.const 0) (i32.gt_s (i32.load offset=36 (local.get $lo)) (i32.const 0))))))
    (call $record (local.get $out) (local.get $outCap) (i32.const 0) (local.get $fb) (i32.const 0)
      (if (result i32) (i32.and (local.get $lo) (i32.const 1))
        (then (i32.load8_u offset=7 (local.get $tree)))
        (else (i32.load offset=16 (local.get $lo)))))
    (local.set $n (i32.const 1))
    (local.set $depth (i32.const 1))

    (loop $main
      ;; advance the child iterator of the frame on top to its next visible child, or hidden child with visible children
      (local.set $fb (i32.add (local.get $stk) (i32.shl (i32.sub (local.get $depth) (i32.const 1)) (i32.const 6))))
      (local.set $found (i32.const 0))
      (local.set $lo (i32.load (i32.load (local.get $fb))))
      (if (i32.eqz (i32.and (local.get $lo) (i32.const 1)))
        (then
          (local.set $p (local.get $lo))
          (local.set $count (i32.load offset=36 (local.get $p)))
          (local.set $i (i32.load offset=28 (local.get $fb)))
          (if (i32.lt_s (local.get $i) (local.get $count))
            (then
              (local.set $production (i32.load offset=52 (local.get $fb)))
              (local.set $aliasBase
                (select (i32.mul (local.get $production) (local.get $maxAlias)) (i32.const -1) (local.get $production)))
              (local.set $first (i32.sub (local.get $p) (i32.shl (local.get $count) (i32.const 3))))
              (local.set $structural (i32.load offset=32 (local.get $fb)))
              (local.set $bytes (i32.load offset=36 (local.get $fb)))
              (local.set $row (i32.load offset=40 (local.get $fb)))
              (local.set $col (i32.load offset=44 (local.get $fb)))
              (block $stop
                (loop $child
                  (br_if $stop (local.get $found))
                  (br_if $stop (i32.ge_s (local.get $i) (local.get $count)))
                  (local.set $c (i32.add (local.get $first) (i32.shl (local.get $i) (i32.const 3))))
                  (local.set $clo (i32.load (local.get $c)))
                  (if (i32.and (local.get $clo) (i32.const 1))
                    (then
                      (local.set $fl (i32.load8_u (local.get $c)))
                      (local.set $visible (i32.and (i32.shr_u (local.get $fl) (i32.const 1)) (i32.const 1)))
                      (local.set $extra (i32.and (i32.shr_u (local.get $fl) (i32.const 3)) (i32.const 1)))
                      (local.set $marks (i32.or (i32.and (local.get $fl) (i32.const 4))
                        (i32.and (i32.shr_u (local.get $fl) (i32.const 2)) (i32.const 8))))
                      (local.set $symbol (i32.load8_u offset=1 (local.get $c)))
                      (local.set $visibleChildren (i32.const 0))
                      (local.set $childProduction (i32.const 0))
                      (local.set $sizeB (i32.load8_u offset=7 (local.get $c)))
                      (local.set $sizeR (i32.const 0))
                      (local.set $sizeC (local.get $sizeB)))
                    (else
                      (local.set $q (local.get $clo))
                      (local.set $fl (i32.load16_u offset=44 (local.get $q)))
                      (local.set $visible (i32.and (local.get $fl) (i32.const 1)))
                      (local.set $extra (i32.and (i32.shr_u (local.get $fl) (i32.const 2)) (i32.const 1)))
                      (local.set $marks (i32.or (i32.and (i32.shl (local.get $fl) (i32.const 1)) (i32.const 4))
                        (i32.and (i32.shr_u (local.get $fl) (i32.const 6)) (i32.const 8))))
                      (local.set $symbol (i32.load16_u offset=40 (local.get $q)))
                      (if (i32.gt_s (i32.load offset=36 (local.get $q)) (i32.const 0))
                        (then
                          (local.set $visibleChildren (i32.load offset=48 (local.get $q)))
                          (local.set $childProduction (i32.load16_u offset=66 (local.get $q))))
                        (else
                          (local.set $visibleChildren (i32.const 0))
                          (local.set $childProduction (i32.const 0))))
                      (local.set $sizeB (i32.load offset=16 (local.get $q)))
                      (local.set $sizeR (i32.load offset=20 (local.get $q)))
                      (local.set $sizeC (i32.load offset=24 (local.get $q)))))
                  (local.set $alias (i32.const 0))
                  (local.set $childStructural (local.get $structural))
                  (if (i32.eqz (local.get $extra))
                    (then
                      (if (i32.ge_s (local.get $aliasBase) (i32.const 0))
                        (then
                          (local.set $alias (i32.load16_u (i32.add (local.get $aliases)
                            (i32.shl (i32.add (local.get $aliasBase) (local.get $structural)) (i32.const 1)))))
                          (if (local.get $alias) (then (local.set $visible (i32.const 1))))))
                      (local.set $structural (i32.add (local.get $structural) (i32.const 1)))))
                  (if (i32.or (local.get $visible) (i32.gt_s (local.get $visibleChildren) (i32.const 0)))
                    (then
                      (if (local.get $alias)
                        (then
                          (local.set $symbol (local.get $alias))
                          (local.set $marks (i32.or (i32.and (local.get $marks) (i32.const 8))
                            (select (i32.const 4) (i32.const 0)
                              (i32.eq (i32.load8_u (i32.add (local.get $named) (local.get $alias))) (i32.const 1)))))))
                      ;; a visible anonymous leaf (not MISSING) whose public type the caller leaves out: no record, no frame
                      (local.set $left (i32.const 0))
                      (if (i32.and (i32.ne (local.get $leaveOut) (i32.const 0))
                            (i32.and (i32.and (local.get $visible) (i32.eqz (local.get $visibleChildren)))
                              (i32.eqz (i32.and (local.get $marks) (i32.const 12)))))
                        (then
                          (local.set $left (i32.load8_u (i32.add (local.get $leaveOut)
                            (i32.load16_u (i32.add (local.get $pub) (i32.shl (local.get $symbol) (i32.const 1)))))))))
                      (if (i32.eqz (local.get $left)) (then
                      (if (i32.ge_s (local.get $depth) (local.get $stkCap)) (then (return (i32.const -1))))
                      (local.set $d (i32.add (local.get $fb) (i32.const 64)))
                      (i32.store offset=0 (local.get $d) (local.get $c))
                      (i32.store offset=4 (local.get $d) (local.get $bytes))
                      (i32.store offset=8 (local.get $d) (local.get $row))
                      (i32.store offset=12 (local.get $d) (local.get $col))
                      (i32.store offset=16 (local.get $d) (local.get $childStructural))
                      (i32.store offset=20 (local.get $d) (local.get $alias))
                      (i32.store offset=24 (local.get $d)
                        (i32.or (i32.or (local.get $visible) (i32.shl (local.get $extra) (i32.const 1)))
                          (i32.or (local.get $marks)
                            (i32.shl (i32.load16_u (i32.add (local.get $pub) (i32.shl (local.get $symbol) (i32.const 1))))
                              (i32.const 8)))))
                      (i32.store offset=28 (local.get $d) (i32.const 0))
                      (i32.store offset=32 (local.get $d) (i32.const 0))
                      (i32.store offset=36 (local.get $d) (local.get $bytes))
                      (i32.store offset=40 (local.get $d) (local.get $row))
                      (i32.store offset=44 (local.get $d) (local.get $col))
                      (i32.store offset=52 (local.get $d) (local.get $childProduction))
                      (if (local.get $visible)
                        (then
                          (if (i32.ge_u (local.get $n) (local.get $stop)) (then (return (i32.add (local.get $n) (i32.const 1)))))
                          (call $record (local.get $out) (local.get $outCap) (local.get $n) (local.get $d)
                            (call $field (local.get $stk) (local.get $depth) (local.get $tab)) (local.get $sizeB))
                          (i32.store offset=48 (local.get $d) (local.get $n))
                          (local.set $n (i32.add (local.get $n) (i32.const 1))))
                        (else (i32.store offset=48 (local.get $d) (i32.load offset=48 (local.get $fb)))))
                      (local.set $found (i32.const 1))))))
                  ;; position += size(child), then += padding(next child)
                  (local.set $bytes (i32.add (local.get $bytes) (local.get $sizeB)))
                  (if (i32.gt_u (local.get $sizeR) (i32.const 0))
                    (then
                      (local.set $row (i32.add (local.get $row) (local.get $sizeR)))
                      (local.set $col (local.get $sizeC)))
                    (else (local.set $col (i32.add (local.get $col) (local.get $sizeC)))))
                  (local.set $i (i32.add (local.get $i) (i32.const 1)))
                  (if (i32.lt_s (local.get $i) (local.get $count))
                    (then
                      (local.set $c (i32.add (local.get $first) (i32.shl (local.get $i) (i32.const 3))))
                      (local.set $clo (i32.load (local.get $c)))
                      (if (i32.and (local.get $clo) (i32.const 1))
                        (then
                          (local.set $bytes (i32.add (local.get $bytes) (i32.load8_u offset=6 (local.get $c))))
                          (local.set $padR (i32.and (i32.load8_u offset=5 (local.get $c)) (i32.const 15)))
                          (if (i32.gt_u (local.get $padR) (i32.const 0))
                            (then
                              (local.set $row (i32.add (local.get $row) (local.get $padR)))
                              (local.set $col (i32.load8_u offset=4 (local.get $c))))
                            (else (local.set $col (i32.add (local.get $col) (i32.load8_u offset=4 (local.get $c)))))))
                        (else
                          (local.set $bytes (i32.add (local.get $bytes) (i32.load offset=4 (local.get $clo))))
                          (local.set $padR (i32.load offset=8 (local.get $clo)))
                          (if (i32.gt_u (local.get $padR) (i32.const 0))
                            (then
                              (local.set $row (i32.add (local.get $row) (local.get $padR)))
                              (local.set $col (i32.load offset=12 (local.get $clo))))
                            (else (local.set $col (i32.add (local.get $col) (i32.load offset=12 (local.get $clo))))))))))
                  (br $child)))
              (i32.store offset=28 (local.get $fb) (local.get $i))
              (i32.store offset=32 (local.get $fb) (local.get $structural))
              (i32.store offset=36 (local.get $fb) (local.get $bytes))
              (i32.store offset=40 (local.get $fb) (local.get $row))
              (i32.store offset=44 (local.get $fb) (local.get $col))))))
      (if (local.get $found)
        (then
          (local.set $depth (i32.add (local.get $depth) (i32.const 1)))
          (br $main)))
      ;; no more children: a visible frame's subtree ends here
      (if (i32.and (i32.and (i32.load offset=24 (local.get $fb)) (i32.const 1))
            (i32.lt_u (i32.load offset=48 (local.get $fb)) (local.get $outCap)))
        (then
          (i32.store offset=24
            (i32.add (local.get $out) (i32.mul (i32.load offset=48 (local.get $fb)) (i32.const 32)))
            (local.get $n))))
      (local.set $depth (i32.sub (local.get $depth) (i32.const 1)))
      (br_if $main (i32.gt_s (local.get $depth) (i32.const 0))))
    (local.get $n)))
