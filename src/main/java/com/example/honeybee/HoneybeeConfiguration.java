package com.example.honeybee;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;

/** camel-main's hook into the bundle: binds the same beans an embedding ESB gets from {@link HoneybeeBundle}. */
public class HoneybeeConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext camelContext) throws Exception {
        HoneybeeBundle.bindBeans(camelContext);
    }
}
