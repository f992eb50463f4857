evaluate(new File(basedir, 'steps.groovy'))
return pre(1)
