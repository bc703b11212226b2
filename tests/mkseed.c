/*
 * mkseed - writes the hand-written schedules of seeds.h as fuzzer inputs:
 *   out/mkseed DIR    writes DIR/mail-race
 */
#include <stdio.h>

#include "../rmap/rmap.h"
#include "../scenarios/scenario.h"
#include "seeds.h"

int main(int argc, char **argv)
{
	struct sched_script_source src;
	struct sched_result res;
	uint8_t bytes[4096];
	char path[4096];
	size_t n;
	FILE *f;

	if (argc != 2) {
		fprintf(stderr, "usage: mkseed DIR\n");
		return 2;
	}
	sched_script_source_init(&src, mail_race,
				 sizeof(mail_race) / sizeof(mail_race[0]));
	sched_run(&scenario_find("lock_anon_vma")->prog, &src.base, &res);
	if (src.failed) {
		fprintf(stderr, "mkseed: the mail_race script does not fit the model\n");
		return 1;
	}
	n = sched_decisions_to_bytes(bytes, sizeof(bytes));
	snprintf(path, sizeof(path), "%s/mail-race", argv[1]);
	f = fopen(path, "wb");
	if (!f || fwrite(bytes, 1, n, f) != n || fclose(f)) {
		perror(path);
		return 2;
	}
	printf("%s: %zu bytes, first verdict %s\n", path, n,
	       res.nreports ? sched_verdict_name(res.reports[0].verdict) : "ok");
	return 0;
}
