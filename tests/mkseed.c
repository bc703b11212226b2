/*
 * mkseed - writes the hand-written schedules and programs of seeds.h as
 * fuzzer inputs:
 *   out/mkseed DIR    writes DIR/lock_anon_vma/mail-race and
 *                     DIR/rmap_ops/<one file per seed>
 */
#include <stdio.h>
#include <sys/stat.h>

#include "seeds.h"
#include "use.h"

static int write_file(const char *dir, const char *sub, const char *name,
		      const uint8_t *bytes, size_t n)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, sub);
	mkdir(path, 0777);
	snprintf(path, sizeof(path), "%s/%s/%s", dir, sub, name);
	f = fopen(path, "wb");
	if (!f || fwrite(bytes, 1, n, f) != n || fclose(f)) {
		perror(path);
		return 2;
	}
	printf("%s: %zu bytes\n", path, n);
	return 0;
}

int main(int argc, char **argv)
{
	struct sched_script_source src;
	struct sched_result res;
	uint8_t bytes[4096];
	size_t n;
	int status = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: mkseed DIR\n");
		return 2;
	}
	sched_script_source_init(&src, mail_race,
				 sizeof(mail_race) / sizeof(mail_race[0]));
	target_exec_source(use_variant("lock_anon_vma", NULL), NULL, &src.base,
			   &res);
	if (src.failed) {
		fprintf(stderr, "mkseed: the mail_race script does not fit the model\n");
		return 1;
	}
	n = sched_decisions_to_bytes(bytes, sizeof(bytes));
	status |= write_file(argv[1], "lock_anon_vma", "mail-race", bytes, n);
	for (size_t i = 0; i < sizeof(rmap_ops_seeds) / sizeof(rmap_ops_seeds[0]);
	     i++) {
		const struct scenario *ops =
			use_variant("rmap_ops", rmap_ops_seeds[i].variant);

		n = rmap_ops_seed_input(&rmap_ops_seeds[i], ops, bytes,
					sizeof(bytes));
		status |= write_file(argv[1], "rmap_ops", rmap_ops_seeds[i].file,
				     bytes, n);
	}
	return status;
}
