package org.memorag.spark;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.StageInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver's progress line: one INFO line when a stage starts, at most one every
 * {@code intervalMs} while its tasks finish, and one when it completes, each with the job's
 * counters ({@link Progress}).
 */
public final class ProgressListener extends SparkListener {
    private static final Logger log = LoggerFactory.getLogger(ProgressListener.class);

    private final String job;
    private final Progress progress;
    private final long intervalMs;
    private final Map<Integer, AtomicInteger> finished = new ConcurrentHashMap<>();
    private final Map<Integer, Long> lastLine = new ConcurrentHashMap<>();

    public ProgressListener(String job, Progress progress, long intervalMs) {
        this.job = job;
        this.progress = progress;
        this.intervalMs = intervalMs;
    }

    @Override
    public void onStageSubmitted(SparkListenerStageSubmitted event) {
        StageInfo s = event.stageInfo();
        finished.put(s.stageId(), new AtomicInteger());
        lastLine.put(s.stageId(), System.currentTimeMillis());
        log.info("{} stage={} started tasks={} name='{}'", job, s.stageId(), s.numTasks(),
                s.name());
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd event) {
        AtomicInteger done = finished.computeIfAbsent(event.stageId(), k -> new AtomicInteger());
        int n = done.incrementAndGet();
        long now = System.currentTimeMillis();
        Long last = lastLine.getOrDefault(event.stageId(), 0L);
        if (now - last >= intervalMs) {
            lastLine.put(event.stageId(), now);
            log.info("{} stage={} tasks_done={} {}", job, event.stageId(), n, progress.line());
        }
    }

    @Override
    public void onStageCompleted(SparkListenerStageCompleted event) {
        StageInfo s = event.stageInfo();
        long ms = s.completionTime().isDefined() && s.submissionTime().isDefined()
                ? (Long) s.completionTime().get() - (Long) s.submissionTime().get() : -1;
        String failure = s.failureReason().isDefined() ? " failed='" + s.failureReason().get()
                + "'" : "";
        log.info("{} stage={} done tasks={} s={} {}{}", job, s.stageId(), s.numTasks(),
                String.format(java.util.Locale.ROOT, "%.1f", ms / 1000.0), progress.line(),
                failure);
        finished.remove(s.stageId());
        lastLine.remove(s.stageId());
    }
}
