package dev.storefront.crm.plugins;

import java.nio.file.Path;
import org.pf4j.ClassLoadingStrategy;
import org.pf4j.CompoundPluginLoader;
import org.pf4j.DefaultPluginLoader;
import org.pf4j.DefaultPluginManager;
import org.pf4j.JarPluginLoader;
import org.pf4j.PluginClassLoader;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginLoader;

/**
 * PF4J with application-first class loading: the plugin API, the JDK and anything the host ships
 * always come from the host, so a plugin that bundles a copy of them still gets the host's classes
 * and its extensions stay assignable to our extension points. Jar plugins and zip/folder plugins
 * ({@code classes/} and {@code lib/}) are both read.
 */
final class CrmPluginManager extends DefaultPluginManager {

    CrmPluginManager(Path pluginsDir) {
        super(pluginsDir);
    }

    @Override
    protected PluginLoader createPluginLoader() {
        ClassLoader host = CrmPluginManager.class.getClassLoader();
        return new CompoundPluginLoader()
                .add(new DefaultPluginLoader(this) {
                    @Override
                    protected PluginClassLoader createPluginClassLoader(Path pluginPath, PluginDescriptor descriptor) {
                        return new PluginClassLoader(pluginManager, descriptor, host, ClassLoadingStrategy.APD);
                    }
                }, this::isNotDevelopment)
                .add(new JarPluginLoader(this) {
                    @Override
                    protected PluginClassLoader createPluginClassLoader(Path pluginPath, PluginDescriptor descriptor) {
                        return new PluginClassLoader(pluginManager, descriptor, host, ClassLoadingStrategy.APD);
                    }
                }, this::isNotDevelopment);
    }
}
