package dev.storefront.crm.jobs;

/** What a job does; it reports through the {@link Job} it is given and checks {@link Job#cancelled()}. */
@FunctionalInterface
public interface JobWork {

    void run(Job job) throws Exception;
}
