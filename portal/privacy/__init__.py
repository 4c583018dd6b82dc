"""Personal data: the register of what the portal holds, the privacy notice built from it, and the person's rights."""
