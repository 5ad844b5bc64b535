package dev.storefront.crm.demo;

/** Fills an empty database with a generated demo store. */
public interface DemoStore {

    void fillIfEmpty();
}
