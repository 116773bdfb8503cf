"""The build: plan the jobs, prepare their HTML, skip what is current, render the rest."""
