/* test_record.c: records in memory. */
#include "config.h"

#include <stdlib.h>

#include "record.h"
#include "tap.h"

int
main(void)
{
	struct record *r = record_new(), *c, *row;

	ok(record_get(r, "name") == NULL, "empty record has no values");
	record_set(r, "name", "张三");
	record_set(r, "gender", "m");
	is_str(record_get(r, "name"), "张三", "set and get");
	record_set(r, "name", "李𠀾");
	is_str(record_get(r, "name"), "李𠀾", "set replaces");
	is_int(r->n, 2, "replacing keeps one value per id");
	record_set(r, "gender", NULL);
	ok(record_get(r, "gender") == NULL, "set NULL removes");
	is_int(r->n, 1, "one value left");

	row = record_add_row(r, "items");
	record_set(row, "content", "第一项");
	row = record_add_row(r, "items");
	record_set(row, "content", "第二项");
	row = record_add_row(r, "items");
	record_set(row, "content", "第三项");
	is_int(record_nrows(r, "items"), 3, "three rows");
	ok(record_get(r, "items") == NULL, "rows value has no text");
	ok(record_move_row(r, "items", 2, 0), "move last row first");
	is_str(record_get(record_row(r, "items", 0), "content"), "第三项",
	    "moved row is first");
	is_str(record_get(record_row(r, "items", 1), "content"), "第一项",
	    "others shift down");
	ok(record_move_row(r, "items", 0, 2), "move first row last");
	is_str(record_get(record_row(r, "items", 2), "content"), "第三项",
	    "moved back");
	ok(!record_move_row(r, "items", 0, 3), "move out of range fails");
	ok(record_remove_row(r, "items", 1), "remove middle row");
	is_int(record_nrows(r, "items"), 2, "two rows left");
	is_str(record_get(record_row(r, "items", 1), "content"), "第三项",
	    "rows after the removed one shift up");
	ok(!record_remove_row(r, "items", 5), "remove out of range fails");
	ok(record_row(r, "items", 2) == NULL, "row out of range is NULL");

	c = record_copy(r);
	ok(record_equal(r, c), "copy is equal");
	record_set(record_row(c, "items", 0), "content", "改过");
	ok(!record_equal(r, c), "changing a copied row does not touch the original");
	is_str(record_get(record_row(r, "items", 0), "content"), "第一项",
	    "original row unchanged");
	record_free(c);

	record_remove(r, "items");
	is_int(record_nrows(r, "items"), 0, "rows removed");
	record_free(r);
	return tap_done();
}
