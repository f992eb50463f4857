evaluate(new File(basedir, 'steps.groovy'))
return post(1)
