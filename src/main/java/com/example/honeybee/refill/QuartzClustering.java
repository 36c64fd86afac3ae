package com.example.honeybee.refill;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;

import javax.sql.DataSource;

import org.apache.camel.component.quartz.QuartzComponent;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;

/**
 * The bundle's own camel-quartz component (bound as {@code honeybee-quartz}, so the host's {@code quartz}
 * component and scheduler are never touched): a scheduler named {@code honeybee} in memory, or on Quartz's
 * clustered JDBC job store over the bundle's own connection pool, so instances sharing a database fire each
 * schedule once (the tables come from migration V5).
 */
public final class QuartzClustering {

    private static final String DATA_SOURCE = "honeybeeQuartz";

    private QuartzClustering() {
    }

    /** A Quartz component for the bundle's schedules; clustered on the bundle's database when asked. */
    public static QuartzComponent component(DataSource dataSource, boolean clustered, boolean postgres, int checkinIntervalMs)
            throws org.quartz.SchedulerException {
        QuartzComponent quartz = new QuartzComponent();
        Properties properties = new Properties();
        properties.put("org.quartz.threadPool.threadCount", "2");
        if (clustered) {
            // one name across the cluster: that is how instances find each other's triggers
            properties.put("org.quartz.scheduler.instanceName", "honeybee");
            clustered(properties, dataSource, postgres, checkinIntervalMs);
        } else {
            // Quartz keeps schedulers by name per JVM: a name of its own, so a host's scheduler (or a second
            // bundle in the same JVM) is never shared or shut down with this one
            properties.put("org.quartz.scheduler.instanceName", "honeybee-" + Integer.toHexString(System.identityHashCode(quartz)));
            properties.put("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
        }
        quartz.setSchedulerFactory(new StdSchedulerFactory(properties));
        return quartz;
    }

    private static void clustered(Properties properties, DataSource dataSource, boolean postgres, int checkinIntervalMs) {
        DBConnectionManager.getInstance().addConnectionProvider(DATA_SOURCE, new ConnectionProvider() {
            @Override
            public Connection getConnection() throws SQLException {
                return dataSource.getConnection();
            }

            @Override
            public void shutdown() {
                // the pool belongs to the bundle and is closed with it
            }

            @Override
            public void initialize() {
                // nothing to set up: the pool exists already
            }
        });
        properties.put("org.quartz.scheduler.instanceId", "AUTO");
        properties.put("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
        properties.put("org.quartz.jobStore.driverDelegateClass", postgres
                ? "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate" : "org.quartz.impl.jdbcjobstore.StdJDBCDelegate");
        properties.put("org.quartz.jobStore.dataSource", DATA_SOURCE);
        properties.put("org.quartz.jobStore.isClustered", "true");
        // acquire under the TRIGGER_ACCESS row lock: without it two instances can fire one trigger for the same scheduled
        // time (Quartz's ABA race, quartz-scheduler/quartz#107); MultiInstanceTest met it once under load
        properties.put("org.quartz.jobStore.acquireTriggersWithinLock", "true");
        properties.put("org.quartz.jobStore.clusterCheckinInterval", String.valueOf(checkinIntervalMs));
        properties.put("org.quartz.jobStore.misfireThreshold", "60000");
    }
}
