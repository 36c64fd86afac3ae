package com.example.honeybee.refill;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;

import javax.sql.DataSource;

import org.apache.camel.CamelContext;
import org.apache.camel.component.quartz.QuartzComponent;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;

/**
 * Puts camel-quartz on Quartz's clustered JDBC job store over the bundle's own connection pool, so
 * instances sharing a database fire each schedule once (the tables come from migration V5).
 */
public final class QuartzClustering {

    private static final String DATA_SOURCE = "honeybeeQuartz";

    private QuartzClustering() {
    }

    public static void configure(CamelContext context, DataSource dataSource, boolean postgres, int checkinIntervalMs) throws Exception {
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
        Properties properties = new Properties();
        properties.put("org.quartz.scheduler.instanceName", "honeybee");
        properties.put("org.quartz.scheduler.instanceId", "AUTO");
        properties.put("org.quartz.threadPool.threadCount", "2");
        properties.put("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
        properties.put("org.quartz.jobStore.driverDelegateClass", postgres
                ? "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate" : "org.quartz.impl.jdbcjobstore.StdJDBCDelegate");
        properties.put("org.quartz.jobStore.dataSource", DATA_SOURCE);
        properties.put("org.quartz.jobStore.isClustered", "true");
        properties.put("org.quartz.jobStore.clusterCheckinInterval", String.valueOf(checkinIntervalMs));
        properties.put("org.quartz.jobStore.misfireThreshold", "60000");
        QuartzComponent quartz = context.getComponent("quartz", QuartzComponent.class);
        quartz.setSchedulerFactory(new StdSchedulerFactory(properties));
    }
}
