package com.example.honeybee.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;

/**
 * CPU time of this JVM's threads between two snapshots, grouped by thread name without its number
 * ("vert.x-worker-thread", "honeybee-inbox-group-commit", ...): where a pass's CPU went, exactly,
 * where a sampling profiler only sees threads that happen to be running Java code.
 */
final class ThreadCpu {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final Map<Long, Long> start = snapshot();
    private final long generatorThreadId;

    ThreadCpu(long generatorThreadId) {
        this.generatorThreadId = generatorThreadId;
    }

    /** Microseconds of CPU per request since construction, by thread group, largest first. */
    Map<String, Double> perRequest(long requests) {
        Map<String, Double> groups = new HashMap<>();
        Map<Long, Long> end = snapshot();
        for (ThreadInfo info : THREADS.getThreadInfo(end.keySet().stream().mapToLong(Long::longValue).toArray())) {
            if (info == null) {
                continue;
            }
            long used = end.getOrDefault(info.getThreadId(), 0L) - start.getOrDefault(info.getThreadId(), 0L);
            String group = info.getThreadId() == generatorThreadId ? "load generator (client event loop)"
                    : info.getThreadName().replaceAll("[-# ]*\\d+$", "").replaceAll("\\(camel-\\d+\\) thread #\\d+ - ", "");
            groups.merge(group, used / 1e3 / Math.max(1, requests), Double::sum);
        }
        // largest first; a LinkedHashMap, so a lookup of a group this pass lacks answers null, not a comparator's NPE
        Map<String, Double> sorted = new java.util.LinkedHashMap<>();
        groups.entrySet().stream().filter(e -> e.getValue() >= 1)
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }

    private static Map<Long, Long> snapshot() {
        Map<Long, Long> cpu = new HashMap<>();
        for (long id : THREADS.getAllThreadIds()) {
            long time = THREADS.getThreadCpuTime(id);
            if (time >= 0) {
                cpu.put(id, time);
            }
        }
        return cpu;
    }
}
